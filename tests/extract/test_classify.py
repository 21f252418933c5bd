"""Classify: topic scores from the taxonomy, salience from centrality and position.

Also the reference splitter of the quality benchmark, whose numbers rest on it.
"""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import replace
from pathlib import Path
from types import ModuleType

import pytest

from briefgen.config.profiles import load_profile, unknown_topics
from briefgen.extract import classify as classify_module
from briefgen.extract.classify import (
    ENTITY_WEIGHT,
    HITS_FOR_FULL_SCORE,
    SUBORDINATE_WEIGHT,
    TaxonomyConfig,
    TopicConfig,
    classify,
    text_rank,
    topic_scores,
)
from briefgen.records import (
    Brief,
    BriefItem,
    Document,
    Entity,
    Extraction,
    Fact,
    Perspective,
    Section,
    Source,
    TopicScore,
)
from tests.factories import DIRS, SHARED, make_fact, make_profile
from tests.helpers import ROOT

TAXONOMY = TaxonomyConfig(
    topics={
        "migration": TopicConfig(
            name="Migration", lemmas=["asylum", "migrant", "seeker"], phrases=["third countries"]
        ),
        "military": TopicConfig(
            name="Military", lemmas=["troops", "drills"], entities=["People's Liberation Army"]
        ),
    }
)


# --- topics -----------------------------------------------------------------------------


def test_topic_score_counts_lemmas_phrases_and_entities() -> None:
    one_lemma = make_fact("Migrant numbers rose.")
    assert topic_scores(one_lemma, TAXONOMY) == (TopicScore("migration", 0.25),)
    phrase = make_fact("A migrant and asylum seeker from third countries.")
    # three lemmas and a phrase (counted double) make 5 hits: capped at the full score
    assert topic_scores(phrase, TAXONOMY)[0] == TopicScore("migration", 1.0)
    pla = Entity("PLA", "ORG", "People's Liberation Army", 0, 3)
    assert topic_scores(make_fact("PLA arrived.", entities=(pla,)), TAXONOMY) == (
        TopicScore("military", 0.5),
    )


BORDER = TaxonomyConfig(
    topics={
        "border": TopicConfig(name="Border", lemmas=["border"], phrases=["border security"]),
        "blocs": TopicConfig(name="Blocs", lemmas=["bloc"], entities=["European Union"]),
    }
)
# "Set up to promote border security, the bloc has grown." as the analyzer gives it:
# the purpose clause is outside the main clause ("the bloc has grown")
GROWN = "Set up to promote border security, the bloc has grown."


def _grown() -> Fact:
    # make_fact's lemmas are the words themselves ("grown"): main_lemmas follow suit
    return replace(make_fact(GROWN), main_lemmas=("bloc", "grown"))


def test_a_topic_only_in_a_subordinate_clause_counts_half() -> None:
    scores = dict((t.topic, t.score) for t in topic_scores(_grown(), BORDER))
    # lemma "border" (1) and phrase "border security" (2), both in the purpose clause
    assert scores["border"] == 3 * SUBORDINATE_WEIGHT / HITS_FOR_FULL_SCORE
    assert scores["blocs"] == 1 / HITS_FOR_FULL_SCORE  # "bloc" is the main clause's subject


def test_the_same_words_in_the_main_clause_count_fully() -> None:
    text = "The bloc will promote border security."
    fact = replace(make_fact(text), main_lemmas=("bloc", "promote", "border", "security"))
    assert topic_scores(fact, BORDER)[0] == TopicScore("border", 3 / HITS_FOR_FULL_SCORE)


def test_a_name_counts_as_much_as_its_mention_most_in_the_main_clause() -> None:
    text = "The EU, which the European Union's critics doubt, has grown."
    mentions = (
        Entity("EU", "ORG", "European Union", 4, 6),
        Entity("European Union", "ORG", "European Union", 18, 32),
    )
    fact = replace(make_fact(text, entities=mentions), main_lemmas=("eu", "grown"))
    assert topic_scores(fact, BORDER) == (TopicScore("blocs", ENTITY_WEIGHT / HITS_FOR_FULL_SCORE),)
    only_aside = replace(fact, entities=mentions[1:])
    assert topic_scores(only_aside, BORDER) == (
        TopicScore("blocs", ENTITY_WEIGHT * SUBORDINATE_WEIGHT / HITS_FOR_FULL_SCORE),
    )


def test_facts_without_main_clause_lemmas_weigh_every_hit_fully() -> None:
    old_record = make_fact(GROWN)  # made before facts had main_lemmas
    assert old_record.main_lemmas == ()
    assert topic_scores(old_record, BORDER)[0] == TopicScore("border", 3 / HITS_FOR_FULL_SCORE)


def test_topics_are_sorted_by_score_then_name() -> None:
    fact = make_fact("Troops and drills met a migrant.")
    assert [(t.topic, t.score) for t in topic_scores(fact, TAXONOMY)] == [
        ("military", 0.5),
        ("migration", 0.25),
    ]
    assert topic_scores(make_fact("Nothing here."), TAXONOMY) == ()


def test_builtin_profiles_use_only_known_topics() -> None:
    topics = SHARED.taxonomy.topics
    for audience in ("nato", "eu", "public"):
        assert unknown_topics(load_profile(audience, DIRS).config, topics) == []


def test_unknown_topic_is_reported_with_the_closest_name() -> None:
    profile = make_profile(
        topic_weights={"migrations": 1.0},
        sections=[{"id": "s", "title": "S", "topics": ["militray"]}],
    )
    hint = "(did you mean `migration`?)"
    assert unknown_topics(profile, ["migration", "military"]) == [
        f"profile t: topic_weights.migrations: unknown topic 'migrations' {hint}",
        "profile t: sections[0].topics: unknown topic 'militray' (did you mean `military`?)",
    ]


# --- salience ---------------------------------------------------------------------------


def test_text_rank_ranks_the_sentence_sharing_most_words_first() -> None:
    ranks = text_rank(
        [["troop", "border"], ["troop", "border", "drill"], ["drill", "border"], ["cake"]]
    )
    assert ranks[1] == 1.0
    assert ranks[1] > ranks[0] and ranks[1] > ranks[2]
    assert ranks[3] < min(ranks[:3])  # isolated


def test_text_rank_edge_cases() -> None:
    assert text_rank([]) == []
    assert text_rank([["one"]]) == [0.0]
    assert text_rank([["a"], ["b"]]) == [0.0, 0.0]  # nothing shared: no centrality


def test_long_documents_use_the_linear_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    sentences = [["troop", "border"], ["troop", "border", "drill"], ["drill", "border"], ["cake"]]
    graph = text_rank(sentences)
    monkeypatch.setattr(classify_module, "MAX_GRAPH", 2)
    proxy = text_rank(sentences)
    assert proxy != graph
    assert proxy.index(1.0) == graph.index(1.0) == 1
    assert proxy[3] == 0.0


def test_salience_prefers_central_then_early_facts() -> None:
    facts = [
        make_fact("Cake was served.", position=0),
        make_fact("Troops massed at the border for drills.", position=1),
        make_fact("Troops held drills.", position=2),
        make_fact("The border drills worried Warsaw.", position=3),
    ]
    salience = [f.salience for f in classify(facts, TAXONOMY)]
    assert salience[1] == max(salience)
    assert salience[0] < salience[1]  # first, but off-topic
    assert all(0.0 <= s <= 1.0 for s in salience)
    twins = [make_fact("Troops held drills.", position=i) for i in range(3)]
    twin_salience = [f.salience for f in classify(twins, TAXONOMY)]
    assert twin_salience == sorted(twin_salience, reverse=True) and len(set(twin_salience)) == 3


def test_classify_returns_new_facts_in_order() -> None:
    facts = [make_fact("Troops held drills.", position=0, salience=0.0)]
    out = classify(facts, TAXONOMY)
    assert out[0].id == facts[0].id and out[0].salience > 0 and facts[0].salience == 0.0


# --- the quality benchmark's reference splitter -----------------------------------------


@pytest.fixture(scope="module")
def quality() -> ModuleType:
    pytest.importorskip("rouge_score")
    pytest.importorskip("sumy")
    path = ROOT / "benchmarks" / "quality.py"
    spec = importlib.util.spec_from_file_location("quality_bench", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["quality_bench"] = module
    spec.loader.exec_module(module)
    return module


ARTICLE = (
    'Shares rose 5% at the U.S.A. open. "We are pleased," said Ms Lee. '
    'Yahoo!Japan fell. "It was a fine year." Analysts agreed.\n\n- Sales: up.'
)


def test_glued_bbc_reference_is_split_where_sentences_were_joined(quality: ModuleType) -> None:
    reference = (
        'Shares rose 5% at the U.S.A. open."We are pleased," said Ms Lee.Yahoo!Japan fell.'
        '"It was a fine year."Analysts agreed.- Sales: up.'
    )
    assert quality.split_bbc_reference(reference, ARTICLE) == [
        "Shares rose 5% at the U.S.A. open.",
        '"We are pleased," said Ms Lee.',
        "Yahoo!Japan fell.",
        '"It was a fine year."',
        "Analysts agreed.",
        "- Sales: up.",
    ]


def test_daily_mail_highlights_are_one_sentence_a_line(quality: ModuleType) -> None:
    assert quality.reference_sentences("dailymail-x", "First point\n\nSecond point\n", "") == [
        "First point",
        "Second point",
    ]


# --- the quality benchmark's multi-document and brevity modes ------------------------------


def _extraction(doc: str, *texts: str) -> Extraction:
    facts = tuple(make_fact(t, position=i, doc=doc) for i, t in enumerate(texts))
    return Extraction(Document(Source(doc, f"{doc}.txt"), " ".join(texts), 0), facts)


def test_every_summary_is_cut_at_the_same_words_each_sentence_once(quality: ModuleType) -> None:
    sentences = ["One two  three.", "Four five.", "One two three.", "Six seven eight nine."]
    assert quality.cut_words(sentences, 7) == ["One two three.", "Four five.", "Six seven"]
    assert quality.cut_words(sentences, 100) == ["One two three.", "Four five.", sentences[3]]
    assert quality.cut_words(sentences, 5) == ["One two three.", "Four five."]
    assert quality.cut_words(sentences, 0) == []


def test_cluster_documents_sort_naturally(quality: ModuleType) -> None:
    names = ["doc10.txt", "doc2.txt", "doc1.txt"]
    assert sorted(names, key=lambda n: quality.natural_key(Path(n))) == [
        "doc1.txt",
        "doc2.txt",
        "doc10.txt",
    ]


def test_multi_document_lead_takes_each_documents_first_sentence_in_turn(
    quality: ModuleType,
) -> None:
    cluster = quality.Cluster(
        "c", (_extraction("a", "A1.", "A2.", "A3."), _extraction("b", "B1.", "B2.")), ("ref",)
    )
    assert quality.lead_round_robin(cluster) == ["A1.", "B1.", "A2.", "B2.", "A3."]


def test_centroid_ranks_central_sentences_first_and_skips_near_duplicates(
    quality: ModuleType,
) -> None:
    cluster = quality.Cluster(
        "c",
        (
            _extraction("a", "The flood hit the city.", "A cat slept."),
            _extraction("b", "The flood hit the city!", "Rescuers reached the flood city."),
        ),
        ("ref",),
    )
    assert quality.centroid_ranking(cluster) == [
        "The flood hit the city.",
        "Rescuers reached the flood city.",
        "A cat slept.",
    ]


def test_brevity_counts_repeats_and_unrepaired_openers(quality: ModuleType) -> None:
    lead, pronoun, quoted = (
        make_fact("Troops crossed the river.", position=0),
        make_fact("It published photographs.", position=1),
        make_fact('"But we will stay," he said.', position=2),
    )
    items = [BriefItem(" ".join(f.text.split()), f, (f,)) for f in (lead, pronoun, quoted)]
    repaired = BriefItem("[The ministry] published photographs.", pronoun, (pronoun,))
    brief = Brief(
        audience="public",
        title="t",
        summary=(items[0], repaired),
        sections=(Section("s", "S", (items[0], items[2])),),
        perspectives=(Perspective("he", (items[2],)),),
        glossary=(),
        extractions=(Extraction(Document(Source("d", "d.txt"), "", 0), (lead, pronoun, quoted)),),
        excluded=(),
    )
    counts = quality.count_brief(brief, article_words=40)
    # repeats: the lead in the section, the quote under perspectives; openers: the quote
    # twice (shown twice), not the repaired pronoun
    assert (counts.items, counts.repeated, counts.unrepaired) == (5, 2, 2)
    assert counts.ratio == sum(len(i.text.split()) for i in quality.body_items(brief)) / 40
    assert quality.opens_with_reference("‘They left’")
    assert not any(map(quality.opens_with_reference, ("Italy won.", "There were two.", "")))
