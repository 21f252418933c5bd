"""Selection on small built facts (:func:`make_fact`), then the issue's seed expectations."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from briefgen.config.profiles import load_profile
from briefgen.errors import ConfigError
from briefgen.records import (
    Brief,
    Entity,
    Extraction,
    Fact,
    TimeRef,
)
from briefgen.select import Relevance, select, similarity
from tests.factories import DIRS, SHARED, brief_of, make_fact, make_profile
from tests.helpers import SEED, extract_paths


def summary_texts(brief: Brief) -> list[str]:
    return [i.text for i in brief.summary]


def reasons(brief: Brief) -> dict[str, str]:
    return {e.fact: e.reason for e in brief.excluded}


# --- relevance --------------------------------------------------------------------------


def test_relevance_adds_topics_kind_salience_figures_and_actors() -> None:
    when = TimeRef("Sunday", 0, 6, "2024-07-07")
    fact = make_fact(
        "Sunday troops moved.",
        kind="statement",
        topics={"military": 0.5, "media": 1.0},
        salience=0.4,
        times=(when,),
        entities=(Entity("PLA", "ORG", "People's Liberation Army", 0, 3),),
    )
    profile = make_profile(
        topic_weights={"military": 3.0},
        kind_weights={"statement": 0.6},
        salience_weight=2.0,
        figure_weights={"date": 1.0},
        entity_weights={"People's Liberation Army": 0.7},
    )
    relevance = Relevance(profile, {"d": date(2024, 7, 8)})
    assert relevance(fact) == pytest.approx(1.5 + 0.6 + 0.8 + 1.0 + 0.7)


def test_only_a_date_near_publication_counts_as_a_date_figure() -> None:
    old = make_fact(
        "Founded in 2001.", times=(TimeRef("2001", 11, 15, "2001-01-01", "2001-12-31"),)
    )
    new = make_fact("It ends on July 19.", times=(TimeRef("July 19", 11, 18, "2024-07-19"),))
    relevance = Relevance(make_profile(figure_weights={"date": 1.0}), {"d": date(2024, 7, 8)})
    assert relevance.figure_kinds(old) == set()
    assert relevance.figure_kinds(new) == {"date"}
    undated = Relevance(make_profile(), {"d": None})
    assert undated.figure_kinds(old) == {"date"}  # no publication date: any date is news


# --- sections: topic, kind, max ---------------------------------------------------------


def test_section_takes_facts_on_its_topics_only() -> None:
    facts = [
        make_fact("Migrants crossed the border.", position=0, topics={"migration": 1.0}),
        make_fact("Tanks moved north.", position=1, topics={"military": 1.0}),
        make_fact("Asylum claims rose slightly.", position=2, topics={"migration": 0.25}),
    ]
    sections = [{"id": "m", "title": "M", "topics": ["migration"], "min_topic_score": 0.5}]
    brief = brief_of(facts, summary={"max_items": 0}, sections=sections)
    assert [i.text for i in brief.sections[0].items] == ["Migrants crossed the border."]
    assert "no section of this profile selects it" in reasons(brief)["d-1"]
    loose = brief_of(
        facts, summary={"max_items": 0}, sections=[{**sections[0], "min_topic_score": 0}]
    )
    assert len(loose.sections[0].items) == 2


def test_section_takes_its_kinds_and_drop_kinds_removes_with_a_reason() -> None:
    facts = [
        make_fact("Belarus is an ally.", position=0, kind="context"),
        make_fact("Troops arrived.", position=1, kind="event"),
        make_fact("It will be fine, he said.", position=2, kind="quote"),
    ]
    brief = brief_of(
        facts,
        drop_kinds=["quote"],
        summary={"max_items": 0},
        sections=[{"id": "bg", "title": "Background", "kinds": ["context"]}],
    )
    assert [i.text for i in brief.sections[0].items] == ["Belarus is an ally."]
    assert reasons(brief)["d-2"] == "kind 'quote' is dropped by this profile"
    assert "kind 'event'" in reasons(brief)["d-1"]
    no_context = brief_of(facts[1:], sections=[{"id": "bg", "title": "B", "kinds": ["context"]}])
    assert no_context.sections == ()  # an empty section is left out


def test_max_items_limits_and_the_rest_say_so() -> None:
    facts = [
        make_fact(text, position=i, salience=1 - i / 10)
        for i, text in enumerate(["Troops arrived.", "Talks failed.", "Prices rose.", "Snow fell."])
    ]
    brief = brief_of(facts, summary={"max_items": 2})
    assert summary_texts(brief) == ["Troops arrived.", "Talks failed."]
    assert reasons(brief)["d-3"].startswith("not among the top 2 in the summary")


def test_min_score_excludes_with_the_score_in_the_reason() -> None:
    facts = [make_fact("Weak.", salience=0.1), make_fact("Strong news.", position=1, salience=0.9)]
    brief = brief_of(facts, min_score=0.5)
    assert summary_texts(brief) == ["Strong news."]
    assert reasons(brief)["d-0"] == "relevance 0.10 is below min_score 0.5"


# --- MMR and redundancy -----------------------------------------------------------------

LEAD = "Chinese troops arrived in Belarus for joint drills near Brest."
ECHO = "Chinese troops arrived in Belarus for joint drills near the Polish border."
OTHER = "Warsaw summoned the ambassador."


def _mmr_facts() -> list[Fact]:
    return [
        make_fact(LEAD, position=0, salience=1.0),
        make_fact(ECHO, position=1, salience=0.9),
        make_fact(OTHER, position=2, salience=0.6),
    ]


def test_similarity_is_cosine_of_content_words() -> None:
    a, b, c = _mmr_facts()
    assert similarity(a, a) == pytest.approx(1.0)
    assert 0.6 < similarity(a, b) < 0.9
    assert similarity(a, c) == 0.0


def test_mmr_lambda_trades_relevance_for_novelty() -> None:
    by_relevance = brief_of(_mmr_facts(), redundancy=1.0, mmr_lambda=1.0, summary={"max_items": 2})
    assert summary_texts(by_relevance) == [LEAD, ECHO]
    brief = brief_of(_mmr_facts(), redundancy=1.0, mmr_lambda=0.5, summary={"max_items": 2})
    assert summary_texts(brief) == [LEAD, OTHER]  # a new fact beats a more relevant echo
    assert reasons(brief)["d-1"].startswith("not among the top 2 in the summary")


def test_a_fact_above_the_redundancy_threshold_is_never_taken() -> None:
    brief = brief_of(_mmr_facts(), redundancy=0.5, mmr_lambda=1.0, summary={"max_items": 3})
    assert summary_texts(brief) == [LEAD, OTHER]
    assert re.fullmatch(
        r"repeats d-0 \(similarity 0\.\d\d > redundancy 0\.5\)", reasons(brief)["d-1"]
    )


def test_redundancy_holds_across_summary_and_sections() -> None:
    brief = brief_of(
        _mmr_facts(),
        redundancy=0.5,
        summary={"max_items": 1},
        sections=[{"id": "s", "title": "S", "max_items": 5}],
    )
    assert [i.text for i in brief.sections[0].items] == [OTHER]
    assert reasons(brief)["d-1"].startswith("repeats d-0")


def test_ties_are_broken_by_source_order_whatever_the_input_order() -> None:
    facts = [
        make_fact(w, position=i, salience=0.5) for i, w in enumerate(["Alpha.", "Beta.", "Gamma."])
    ]
    brief = brief_of(facts, summary={"max_items": 2})
    assert [i.facts for i in brief.summary] == [("d-0",), ("d-1",)]
    again = brief_of(facts, summary={"max_items": 2})
    assert again.summary == brief.summary


def test_summary_order_source_or_salience() -> None:
    facts = [
        make_fact("Minor early detail.", position=0, salience=0.3),
        make_fact("Major later news.", position=1, salience=0.9),
    ]
    by_source = brief_of(facts, summary={"max_items": 2, "order": "source"})
    by_salience = brief_of(facts, summary={"max_items": 2, "order": "salience"})
    assert summary_texts(by_source) == ["Minor early detail.", "Major later news."]
    assert summary_texts(by_salience) == ["Major later news.", "Minor early detail."]


def test_every_fact_is_either_in_the_body_or_excluded_with_a_reason() -> None:
    facts = [*_mmr_facts(), make_fact("Background line.", position=3, kind="context")]
    brief = brief_of(facts, redundancy=0.5, summary={"max_items": 1, "kinds": ["event"]})
    body = {i.facts[0] for i in brief.summary} | {
        i.facts[0] for s in brief.sections for i in s.items
    }
    excluded = reasons(brief)
    assert body.isdisjoint(excluded)
    assert body | set(excluded) == {f.id for f in facts}
    assert all(excluded.values())


# --- perspectives and glossary ----------------------------------------------------------


def test_perspectives_group_by_speaker_keeping_the_most_relevant() -> None:
    facts = [
        make_fact(
            "Minsk said troops came.", position=0, kind="statement", speaker="Minsk", salience=0.2
        ),
        make_fact("Beijing said drills began.", position=1, kind="statement", speaker="Beijing"),
        make_fact(
            "Minsk said drills end soon.",
            position=2,
            kind="statement",
            speaker="Minsk",
            salience=0.9,
        ),
        make_fact("A quote from Beijing.", position=3, kind="quote", speaker="Beijing"),
    ]
    # no summary: perspectives hold statements the body does not already show
    brief = brief_of(
        facts, drop_kinds=["quote"], summary={"max_items": 0}, perspectives={"max_per_speaker": 1}
    )
    groups = {p.speaker: [i.text for i in p.items] for p in brief.perspectives}
    assert list(groups) == ["Minsk", "Beijing"]
    assert groups == {
        "Minsk": ["Minsk said drills end soon."],
        "Beijing": ["Beijing said drills began."],
    }
    assert brief_of(facts, perspectives={"enabled": False}).perspectives == ()


def test_a_statement_only_under_perspectives_is_excluded_with_a_note() -> None:
    facts = [
        make_fact("Troops arrived at the border.", position=0, salience=0.9),
        make_fact("Beijing said drills began.", position=1, kind="statement", speaker="Beijing"),
    ]
    brief = brief_of(facts, summary={"max_items": 1})
    assert [p.speaker for p in brief.perspectives] == ["Beijing"]
    assert reasons(brief)["d-1"].startswith("shown only under perspectives (Beijing); not among")


# --- profiles: validation and inheritance -----------------------------------------------


def test_selection_fields_are_validated_with_file_line_and_key(tmp_path: Path) -> None:
    path = tmp_path / "desk.yaml"
    path.write_text(
        "id: desk\nname: Desk\nmmr_lambda: 1.5\nsections:\n  - id: s\n    title: S\n"
        "    min_topic_score: lots\n"
    )
    with pytest.raises(ConfigError) as err:
        load_profile(str(path), DIRS)
    assert err.value.format_message().splitlines() == [
        f"{path}:3: mmr_lambda: Input should be less than or equal to 1",
        f"{path}:7: sections[0].min_topic_score: expected a number, got 'lots'",
    ]


def test_extends_merges_mappings_and_replaces_lists(tmp_path: Path) -> None:
    path = tmp_path / "desk.yaml"
    path.write_text(
        "extends: nato\nname: Desk\nmmr_lambda: 0.5\ntopic_weights:\n  migration: 2.0\n"
        "sections:\n  - id: only\n    title: Only\nsummary:\n  kinds: [event]\n"
    )
    nato = load_profile("nato", DIRS).config
    desk = load_profile(str(path), DIRS).config
    assert desk.mmr_lambda == 0.5 and nato.mmr_lambda != 0.5
    assert desk.topic_weights["migration"] == 2.0
    assert desk.topic_weights["military"] == nato.topic_weights["military"]  # merged key by key
    # sections merge by id (tests/config/test_inheritance.py); other lists replace
    assert [s.id for s in desk.sections] == [*(s.id for s in nato.sections), "only"]
    assert desk.summary.kinds == ["event"]
    assert desk.summary.title == nato.summary.title


# --- the seed: three briefs each audience recognises ------------------------------------


@pytest.fixture(scope="module")
def seed() -> Extraction:
    extractions, failures = extract_paths([str(SEED)], SHARED)
    assert not failures
    return extractions[0]


@pytest.fixture(scope="module")
def briefs(seed: Extraction) -> dict[str, Brief]:
    return {
        a: select([seed], load_profile(a, DIRS).config, SHARED.glossary)
        for a in ("nato", "eu", "public")
    }


def _body(brief: Brief) -> list[str]:
    return [i.text for i in (*brief.summary, *(i for s in brief.sections for i in s.items))]


def _has(texts: list[str], *needles: str) -> bool:
    return any(all(n in t for n in needles) for t in texts)


def test_nato_leads_with_the_news_then_deployment_and_distance(briefs: dict[str, Brief]) -> None:
    summary = summary_texts(briefs["nato"])
    assert summary[0].startswith("China and Belarus announced they were holding joint military")
    assert _has(summary, "Belarus’ Ministry of Defense said troops from China’s People’s")
    assert _has(summary, "Brest", "130 miles from the Polish capital of Warsaw")


def test_every_brief_leads_with_the_articles_first_sentence(briefs: dict[str, Brief]) -> None:
    for brief in briefs.values():
        assert brief.summary[0].fact.position == 0


def test_eu_keeps_the_border_accusation_membership_and_sco(briefs: dict[str, Brief]) -> None:
    body = _body(briefs["eu"])
    assert _has(body, "weaponizing the border by pushing asylum-seekers")
    assert _has(body, "Poland – a NATO and European Union member")
    assert _has(body, "joined the Shanghai Cooperation Organization")


def _unbudgeted(audience: str, seed: Extraction) -> Brief:
    profile = load_profile(audience, DIRS).config
    budget = profile.budget.model_copy(update={"share": 1.0, "max_words": 10_000})
    return select([seed], profile.model_copy(update={"budget": budget}), SHARED.glossary)


def test_public_has_background_on_belarus_and_russia(seed: Extraction) -> None:
    brief = _unbudgeted("public", seed)
    background = next(s for s in brief.sections if s.id == "background")
    texts = [i.text for i in background.items]
    assert _has(texts, "Belarus is Russia’s closest and most significant ally")
    assert {g.term for g in brief.glossary} >= {"NATO", "SCO"}


def test_perspectives_name_the_ministries_the_body_does_not_quote(seed: Extraction) -> None:
    for audience in ("nato", "eu", "public"):
        brief = _unbudgeted(audience, seed)
        speakers = {p.speaker for p in brief.perspectives}
        body = {i.quote.id for i in brief.items()}
        assert all(i.quote.id not in body for p in brief.perspectives for i in p.items)
        said = {i.fact.attribution.speaker for i in brief.items() if i.fact.attribution}
        assert {"Belarus' Ministry of Defense", "China's Ministry of Defense"} <= speakers | said


def test_the_three_briefs_keep_different_facts(briefs: dict[str, Brief]) -> None:
    kept = {a: frozenset(_body(b)) for a, b in briefs.items()}
    assert len(set(kept.values())) == 3
    assert all(kept.values())
