"""Score briefgen's selection against human references, next to classic peers.

Three modes (``--all`` runs them all; with no mode flag the single-article mode runs):

**Single article** (default).  For every BBC and Daily Mail article under
``--corpus``/articles, each system picks ``k`` of the article's sentences and ROUGE-1/2/L
F1 (``rouge-score``, Porter stemmer) compares them with the human reference:

* ``briefgen public``: the summary of the built-in ``public`` profile
  (``summary.max_items`` set to ``k`` and the word budget lifted), scored as the source
  sentences it selected: the audience wording (unit conversions, acronym expansions)
  is rendering, not selection, and would only add words no reference has;
* ``Lead-k``: the first ``k`` sentences;
* ``LexRank`` and ``TextRank``: sumy's implementations (English stop words and stemmer).

All systems choose among the same sentences: briefgen's facts (spaCy sentences of the
cleaned article), so the splitter is not what is being compared.

``k`` is the number of sentences of the reference by default (``--k N`` fixes it
instead).  BBC references are extractive and long (often a third of the article) while
Daily Mail highlights are 3-4 lines, so a fixed k would mostly measure how far each
article's reference length is from k; giving every system the reference's length
removes that noise and is the same for all systems.

ROUGE-L is the summary-level variant (``rougeLsum``, one sentence per line): BBC
references list their sentences "in no particular order", and plain ``rougeL`` over
one token stream would reward matching that arbitrary order.

**Multi-document** (``--clusters``, issue #14).  For every folder under
``--corpus``/clusters that holds references (``summary*.txt``: the MultiLing 2011
clusters; ``twosource-*`` has none and is skipped), one summary of all its
``doc*.txt`` (sorted naturally, doc2 before doc10), cut at W words
(``--words``, default 250 and 100):

* ``briefgen public``: ``select`` over the extractions of all the documents with the
  built-in ``public`` profile, unchanged; its body is the summary items, then the
  section items, then the perspective items (the brief's ``BriefItem.text``);
* ``Lead``: the first sentence of each document in turn, then the second of each, ...;
* ``LexRank``, ``TextRank``, ``SumBasic``: sumy's implementations, sentences in
  sumy's rating order;
* ``Centroid``: Radev et al. (2004) with the bag-of-words settings of Rossiello et al.
  (2017): tf-idf over the cluster's sentences, the centroid keeps the words above 0.3
  of its largest weight, sentences ranked by cosine to it, a sentence skipped when its
  cosine to one already taken exceeds 0.9 (0.95 on their (1 + cos) / 2 scale).

Every system ranks briefgen's own sentences (the facts of the documents), and one
function (:func:`cut_words`) makes every summary: sentences in the system's order, a
sentence already taken (same whitespace-normalised text) dropped, whitespace-separated
words counted, the last sentence cut at W.  ROUGE-1/2 F1 (stemmed) is computed against
each reference, averaged over the references, then over the clusters.

**Brevity** (``--brevity``, issue #20).  For every article under ``--corpus``/articles
and each built-in audience (nato, eu, public), the brief as selected:

* words/article: the words of the brief body (summary, section and perspective items)
  over the words of the article as cleaned (its kept paragraphs); median and maximum;
* repeated: the share of items shown (in that order) that repeat one already shown in
  the same brief (the same whitespace-normalised text, or a fact id already shown);
* unrepaired openers: the share of items shown whose sentence opens (after any opening
  quote mark) with a third-person or demonstrative pronoun or a connective
  (:data:`OPENERS`), unless the item is repaired: it carries repairs (bracketed
  editorial insertions, ``BriefItem.repairs``).

Usage (needs ``pip install '.[bench]'``)::

    python benchmarks/quality.py --corpus ../shared/corpus              # single article
    python benchmarks/quality.py --corpus ../shared/corpus --clusters   # multi-document
    python benchmarks/quality.py --corpus ../shared/corpus --brevity    # brevity report
    python benchmarks/quality.py --corpus ../shared/corpus --all
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from statistics import mean, median
from typing import Any

from rouge_score import rouge_scorer
from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
from sumy.nlp.stemmers import Stemmer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.sum_basic import SumBasicSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer
from sumy.utils import get_stop_words

from briefgen.config.profiles import ProfileConfig, load_profile
from briefgen.config.shared import config_dirs, load_shared
from briefgen.pipeline import read_and_extract
from briefgen.records import Brief, BriefItem, Extraction, Fact
from briefgen.select import GlossaryConfig, select

ROUGE_TYPES = ("rouge1", "rouge2", "rougeLsum")
CORPORA = ("bbc-", "dailymail-")
# a sentence end glued to the next sentence: "stabilise.China's", 'next."The', 'competitive."I'
_JUNCTION = re.compile(r"[.!?][\"'”’]*(?=[\"'“‘]?[A-Z0-9]|- )")


@dataclass(frozen=True, slots=True)
class Article:
    """One corpus article: its extracted facts and its reference sentences."""

    name: str
    extraction: Extraction
    reference: tuple[str, ...]


class WordTokenizer:
    """The tokenizer sumy's ``Sentence`` asks for; a regex, since NLTK's data is absent."""

    _WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")

    def to_sentences(self, text: str) -> tuple[str, ...]:
        return (text,)  # sentences come pre-split (briefgen's facts)

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(self._WORD.findall(sentence))


def split_bbc_reference(reference: str, article: str) -> list[str]:
    """Split an extractive BBC reference whose sentences are glued without a space.

    A candidate end is a full stop (or ``!``/``?``, with any closing quotes) directly
    followed by a capital, a digit or an opening quote.  Because the reference copies
    article sentences verbatim, a candidate is kept only when that exact junction does
    not occur in the article (so "U.S.A" or "Yahoo!Japan" stay whole), and a quote
    after the stop belongs to the left sentence only if the article has it there.

    Args:
        reference: the reference summary text.
        article: the article text, to check junctions against.

    Returns:
        The reference sentences, stripped, in reference order.
    """
    flat = " ".join(article.split())
    sentences, start = [], 0
    for match in _JUNCTION.finditer(reference):
        end = match.end()
        if _token_at(reference, start, end) in flat:
            continue  # the article writes it so too: an abbreviation, not a junction
        left = reference[start:end]
        if left[-1] in "\"'”’" and " ".join(left.split()) not in flat:
            end = match.start() + 1  # the quote opens the next sentence
        sentences.append(reference[start:end].strip())
        start = end
    sentences.append(reference[start:].strip())
    return [s for s in sentences if s]


def _token_at(text: str, start: int, end: int) -> str:
    """The whitespace-delimited token around ``end``, not reaching back before ``start``."""
    left = max(start, *(text.rfind(c, 0, end) + 1 for c in " \n\t"))
    right = min((i for i in (text.find(c, end) for c in " \n\t") if i >= 0), default=len(text))
    return text[left:right]


def reference_sentences(name: str, reference: str, article: str) -> list[str]:
    """Reference sentences: glued BBC extracts split apart, Daily Mail highlight lines."""
    if name.startswith("bbc-"):
        return [s for line in reference.splitlines() for s in split_bbc_reference(line, article)]
    return [line.strip() for line in reference.splitlines() if line.strip()]


def load_articles(corpus: Path) -> list[Article]:
    """Extract every BBC / Daily Mail article of the corpus once, with its reference."""
    folder = corpus / "articles"
    paths = sorted(
        p
        for p in folder.glob("*.txt")
        if p.name.startswith(CORPORA) and not p.name.endswith(".summary.txt")
    )
    shared = load_shared(config_dirs(()))
    extractions, failures = read_and_extract([str(p) for p in paths], shared)
    if failures:
        raise SystemExit(f"could not read: {', '.join(failures)}")
    articles = []
    for path, extraction in zip(paths, extractions, strict=True):
        reference = path.with_name(path.stem + ".summary.txt").read_text(encoding="utf-8")
        sentences = reference_sentences(path.stem, reference, path.read_text(encoding="utf-8"))
        articles.append(Article(path.stem, extraction, tuple(sentences)))
    return articles


Summarizer = Callable[[Article, int], list[str]]


def briefgen_system(profile: ProfileConfig, glossary: GlossaryConfig) -> Summarizer:
    """The profile's summary with ``k`` items: the source sentences it selected."""

    # equal length for every system: k sentences, so the word budget (a brevity
    # feature, measured by --brevity) is lifted here
    unbounded = profile.budget.model_copy(update={"share": 1.0, "max_words": 10**6})

    def summarize(article: Article, k: int) -> list[str]:
        summary = profile.summary.model_copy(update={"max_items": k})
        update = {"summary": summary, "budget": unbounded}
        brief = select([article.extraction], profile.model_copy(update=update), glossary)
        return [item.fact.text for item in brief.summary]

    return summarize


def lead_system(article: Article, k: int) -> list[str]:
    """Lead-k: the first ``k`` sentences."""
    return [f.text for f in article.extraction.facts[:k]]


def sumy_system(summarizer: Any) -> Summarizer:
    """A sumy summarizer over briefgen's sentences (one sumy paragraph per source paragraph)."""
    tokenizer = WordTokenizer()

    def summarize(article: Article, k: int) -> list[str]:
        document = ObjectDocumentModel(
            [
                Paragraph([Sentence(f.text, tokenizer) for f in group])
                for group in _paragraphs(article.extraction.facts)
            ]
        )
        return [str(s) for s in summarizer(document, k)]

    return summarize


def _paragraphs(facts: Sequence[Fact]) -> list[list[Fact]]:
    groups: dict[int, list[Fact]] = {}
    for fact in facts:
        groups.setdefault(fact.paragraph, []).append(fact)
    return list(groups.values())


def _sumy(kind: type[Any]) -> Any:
    summarizer = kind(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    return summarizer


def systems() -> dict[str, Summarizer]:
    """The systems compared, in table order."""
    dirs = config_dirs(())
    profile = load_profile("public", dirs).config
    return {
        "briefgen public": briefgen_system(profile, load_shared(dirs).glossary),
        "Lead-k": lead_system,
        "LexRank": sumy_system(_sumy(LexRankSummarizer)),
        "TextRank": sumy_system(_sumy(TextRankSummarizer)),
    }


def score(articles: Sequence[Article], fixed_k: int | None) -> dict[str, list[dict[str, float]]]:
    """ROUGE F1 of every system on every article (one dict per article)."""
    scorer = rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=True)
    results: dict[str, list[dict[str, float]]] = {}
    for name, summarize in systems().items():
        rows = results.setdefault(name, [])
        for article in articles:
            k = fixed_k or len(article.reference)
            picked = [" ".join(s.split()) for s in summarize(article, k)]
            got = scorer.score("\n".join(article.reference), "\n".join(picked))
            rows.append({t: got[t].fmeasure for t in ROUGE_TYPES})
    return results


def table(results: dict[str, list[dict[str, float]]], label: str) -> str:
    """A Markdown table of mean F1 (x100) per system."""
    lines = [
        f"| system ({label}) | n | ROUGE-1 | ROUGE-2 | ROUGE-L |",
        "|---|---|---|---|---|",
    ]
    for name, rows in results.items():
        means = [100 * mean(r[t] for r in rows) for t in ROUGE_TYPES]
        lines.append(f"| {name} | {len(rows)} | " + " | ".join(f"{m:.2f}" for m in means) + " |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    parser.add_argument("--k", type=int, default=None, help="fixed k (default: reference length)")
    parser.add_argument("--per-article", action="store_true", help="print each article's scores")
    parser.add_argument("--clusters", action="store_true", help="multi-document mode (#14)")
    parser.add_argument(
        "--words",
        type=int,
        nargs="+",
        default=[250, 100],
        metavar="W",
        help="word limits of the multi-document mode (default: 250 100)",
    )
    parser.add_argument("--brevity", action="store_true", help="brevity report (#20)")
    parser.add_argument("--all", action="store_true", help="every mode")
    args = parser.parse_args(argv)
    single = args.all or not (args.clusters or args.brevity)
    if single:
        single_article(args.corpus, args.k, args.per_article)
    if args.all or args.clusters:
        multi_document(args.corpus, args.words)
    if args.all or args.brevity:
        print("\nbrevity (every article, each audience's brief as selected):")
        print(brevity_table(brevity(args.corpus)))
    return 0


def single_article(corpus: Path, fixed_k: int | None, per_article: bool) -> None:
    """The single-article mode: one table for all articles, then one per source."""
    articles = load_articles(corpus)
    groups = {
        "all": articles,
        **{p.rstrip("-"): [a for a in articles if a.name.startswith(p)] for p in CORPORA},
    }
    label = f"k={fixed_k}" if fixed_k else "k=reference sentences"
    for group, members in groups.items():
        if members:
            print(f"\n{group}:\n" + table(score(members, fixed_k), label))
    if per_article:
        _print_per_article(articles, fixed_k)


def _print_per_article(articles: Sequence[Article], fixed_k: int | None) -> None:
    results = score(articles, fixed_k)
    for i, article in enumerate(articles):
        cells = "  ".join(f"{n}={100 * rows[i]['rouge2']:.1f}" for n, rows in results.items())
        print(f"{article.name} (k={fixed_k or len(article.reference)}): R2 {cells}")


# --- multi-document mode (issue #14) ------------------------------------------------------

MULTI_ROUGE = ("rouge1", "rouge2")
# Rossiello et al. (2017), bag-of-words centroid: centroid words above 0.3 of the largest
# weight; a sentence is redundant above 0.95 on their (1 + cos) / 2 scale, i.e. cos > 0.9
CENTROID_TOPIC_THRESHOLD = 0.3
CENTROID_MAX_COSINE = 0.9


@dataclass(frozen=True, slots=True)
class Cluster:
    """One cluster: the extractions of its documents (natural order) and its references."""

    name: str
    extractions: tuple[Extraction, ...]
    references: tuple[str, ...]

    @property
    def facts(self) -> list[Fact]:
        return [f for e in self.extractions for f in e.facts]


def natural_key(path: Path) -> list[Any]:
    """Sort key putting ``doc2`` before ``doc10``."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", path.name)]


def load_clusters(corpus: Path) -> tuple[list[Cluster], list[str]]:
    """Extract the documents of every cluster that has references; name the others."""
    shared = load_shared(config_dirs(()))
    clusters: list[Cluster] = []
    skipped: list[str] = []
    folders = sorted((p for p in (corpus / "clusters").iterdir() if p.is_dir()), key=natural_key)
    for folder in folders:
        references = sorted(folder.glob("summary*.txt"), key=natural_key)
        docs = sorted(folder.glob("doc*.txt"), key=natural_key)
        if not docs:
            continue
        if not references:
            skipped.append(folder.name)
            continue
        extractions, failures = read_and_extract([str(p) for p in docs], shared)
        if failures:
            raise SystemExit(f"could not read: {', '.join(failures)}")
        texts = tuple(p.read_text(encoding="utf-8") for p in references)
        clusters.append(Cluster(folder.name, tuple(extractions), texts))
    return clusters, skipped


def cut_words(sentences: Iterable[str], words: int) -> list[str]:
    """The first ``words`` words of ``sentences`` in the order given, each sentence once.

    Every system's summary is made here.  Whitespace is normalised, a sentence whose
    text was already taken is dropped, words are whitespace-separated tokens, and the
    last sentence is cut mid-way (as DUC's ``-l`` limit does).
    """
    out: list[str] = []
    seen: set[str] = set()
    left = words
    for sentence in sentences:
        if left <= 0:
            break
        tokens = sentence.split()
        text = " ".join(tokens)
        if not tokens or text in seen:
            continue
        seen.add(text)
        out.append(" ".join(tokens[:left]))
        left -= len(tokens)
    return out


Ranker = Callable[[Cluster], list[str]]
"""A multi-document system: the cluster's sentences in the order it would take them."""


def body_items(brief: Brief) -> list[BriefItem]:
    """The brief body as shown: summary items, then section items, then perspectives."""
    return [
        *brief.summary,
        *(i for s in brief.sections for i in s.items),
        *(i for p in brief.perspectives for i in p.items),
    ]


def briefgen_body(profile: ProfileConfig, glossary: GlossaryConfig) -> Ranker:
    """The profile's brief of all the cluster's documents, its body items in order."""

    def rank(cluster: Cluster) -> list[str]:
        return [item.text for item in body_items(select(cluster.extractions, profile, glossary))]

    return rank


def lead_round_robin(cluster: Cluster) -> list[str]:
    """Lead: the first sentence of each document in turn, then the second of each, ..."""
    per_doc = [sorted(e.facts, key=lambda f: f.position) for e in cluster.extractions]
    longest = max((len(facts) for facts in per_doc), default=0)
    return [facts[i].text for i in range(longest) for facts in per_doc if i < len(facts)]


class _RatingOrder:
    """A sumy ``sentences_count`` that keeps every sentence, remembering sumy's rating order.

    sumy sorts sentences by rating (best first, ties in document order), hands that
    list to the count and returns what it keeps in document order; kept here is the
    ranking itself, so a word limit cuts the lowest-rated sentences, not the last ones.
    """

    def __init__(self) -> None:
        self.ranked: list[Any] = []

    def __call__(self, infos: Sequence[Any]) -> Sequence[Any]:
        self.ranked = [info.sentence for info in infos]
        return infos


def sumy_ranking(summarizer: Any) -> Ranker:
    """A sumy summarizer over the cluster's sentences, in its rating order."""
    tokenizer = WordTokenizer()

    def rank(cluster: Cluster) -> list[str]:
        document = ObjectDocumentModel(
            [
                Paragraph([Sentence(f.text, tokenizer) for f in group])
                for e in cluster.extractions
                for group in _paragraphs(e.facts)
            ]
        )
        order = _RatingOrder()
        summarizer(document, order)
        return [str(s) for s in order.ranked]

    return rank


def centroid_ranking(cluster: Cluster) -> list[str]:
    """The tf-idf centroid (Radev et al. 2004; Rossiello et al. 2017 settings).

    Terms are sumy's: regex words, lower-cased, English stop words removed, Snowball
    stems.  Weights are raw counts x ``ln(N / df) + 1`` over the N sentences of the
    cluster; the centroid is their sum scaled to a largest weight of 1, words at or
    below :data:`CENTROID_TOPIC_THRESHOLD` dropped.  Sentences go by cosine to the
    centroid; one more similar than :data:`CENTROID_MAX_COSINE` to one already taken
    is skipped.
    """
    texts = [f.text for f in cluster.facts]
    terms = _terms_of(texts)
    df = Counter(t for counts in terms for t in counts)
    idf = {t: math.log(len(texts) / n) + 1 for t, n in df.items()}
    vectors = [{t: c * idf[t] for t, c in counts.items()} for counts in terms]
    total: Counter[str] = Counter()
    for vector in vectors:
        total.update(vector)
    top = max(total.values(), default=1.0)
    centroid = {t: w / top for t, w in total.items() if w / top > CENTROID_TOPIC_THRESHOLD}
    order = sorted(range(len(texts)), key=lambda i: -_vector_cosine(vectors[i], centroid))
    taken: list[int] = []
    for i in order:
        if all(_vector_cosine(vectors[i], vectors[j]) <= CENTROID_MAX_COSINE for j in taken):
            taken.append(i)
    return [texts[i] for i in taken]


def _terms_of(texts: Sequence[str]) -> list[Counter[str]]:
    tokenizer, stem = WordTokenizer(), Stemmer("english")
    stop = frozenset(w.lower() for w in get_stop_words("english"))
    return [
        Counter(stem(w.lower()) for w in tokenizer.to_words(t) if w.lower() not in stop)
        for t in texts
    ]


def _vector_cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = sum(w * b.get(t, 0.0) for t, w in a.items())
    norm = math.sqrt(sum(w * w for w in a.values()) * sum(w * w for w in b.values()))
    return dot / norm if norm else 0.0


def multi_systems() -> dict[str, Ranker]:
    """The multi-document systems, briefgen first (table order)."""
    dirs = config_dirs(())
    profile = load_profile("public", dirs).config
    return {
        "briefgen public": briefgen_body(profile, load_shared(dirs).glossary),
        "Lead": lead_round_robin,
        "LexRank": sumy_ranking(_sumy(LexRankSummarizer)),
        "TextRank": sumy_ranking(_sumy(TextRankSummarizer)),
        "SumBasic": sumy_ranking(_sumy(SumBasicSummarizer)),
        "Centroid": centroid_ranking,
    }


ClusterScores = dict[str, dict[str, dict[str, float]]]
"""system -> cluster -> measure (rouge1, rouge2, words) -> value."""


def score_clusters(clusters: Sequence[Cluster], words: int) -> ClusterScores:
    """ROUGE-1/2 F1 of every system on every cluster, averaged over its references."""
    scorer = rouge_scorer.RougeScorer(list(MULTI_ROUGE), use_stemmer=True)
    results: ClusterScores = {}
    for name, rank in multi_systems().items():
        rows = results.setdefault(name, {})
        for cluster in clusters:
            summary = cut_words(rank(cluster), words)
            got = [scorer.score(ref, "\n".join(summary)) for ref in cluster.references]
            rows[cluster.name] = {t: mean(g[t].fmeasure for g in got) for t in MULTI_ROUGE}
            rows[cluster.name]["words"] = sum(len(s.split()) for s in summary)
    return results


def cluster_table(results: ClusterScores, words: int) -> str:
    """Mean F1 (x100) over the clusters per system, per-cluster ROUGE-1, and the ratio."""
    clusters = list(next(iter(results.values()), {}))
    lines = [
        f"| system (W={words}) | ROUGE-1 | ROUGE-2 | words | "
        + " | ".join(f"R-1 {c.removeprefix('multiling2011-')}" for c in clusters)
        + " |",
        "|---" * (4 + len(clusters)) + "|",
    ]
    means = {
        n: {t: 100 * mean(r[t] for r in rows.values()) for t in MULTI_ROUGE}
        for n, rows in results.items()
    }
    for name, rows in results.items():
        cells = [f"{means[name][t]:.2f}" for t in MULTI_ROUGE]
        cells.append(f"{mean(r['words'] for r in rows.values()):.0f}")
        cells += [f"{100 * rows[c]['rouge1']:.2f}" for c in clusters]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    ours, *peers = means
    lines.append("")
    for t, label in zip(MULTI_ROUGE, ("ROUGE-1", "ROUGE-2"), strict=True):
        best = max(peers, key=lambda n: means[n][t])
        ratio = means[ours][t] / means[best][t] if means[best][t] else float("nan")
        lines.append(f"{label}: {ours} / best peer ({best}) = {ratio:.3f}x (goal >= 1.10x)")
    return "\n".join(lines)


def multi_document(corpus: Path, limits: Sequence[int]) -> None:
    """The multi-document mode: one table per word limit."""
    clusters, skipped = load_clusters(corpus)
    if skipped:
        print(f"\nskipped (no reference summary): {', '.join(skipped)}")
    if not clusters:
        print("no cluster with references")
        return
    refs = ", ".join(f"{c.name} {len(c.references)}" for c in clusters)
    print(f"\nmulti-document: {len(clusters)} clusters (references: {refs})")
    for words in limits:
        print("\n" + cluster_table(score_clusters(clusters, words), words))


# --- brevity report (issue #20) -----------------------------------------------------------

AUDIENCES = ("nato", "eu", "public")
# words that, opening a sentence, point back to something the sentence does not say:
# third-person and demonstrative pronouns, and connectives
PRONOUNS = "it its he his him she her they their them this these that those such"
CONNECTIVES = (
    "but however also and meanwhile yet so still moreover furthermore instead nevertheless"
    " nonetheless then thus therefore besides similarly likewise otherwise additionally"
    " indeed hence consequently or nor"
)
OPENERS = frozenset(f"{PRONOUNS} {CONNECTIVES}".split())
_FIRST_WORD = re.compile(r"[\"'“‘(\s]*([^\W\d_]+)")


def opens_with_reference(text: str) -> bool:
    """Whether ``text`` opens (after any opening quote) with a word of :data:`OPENERS`."""
    match = _FIRST_WORD.match(text)
    return bool(match) and match.group(1).lower() in OPENERS


def is_repaired(item: BriefItem) -> bool:
    """An item that carries repairs (bracketed insertions over its opening words), or
    whose text differs from its fact's by a leading bracketed insertion."""
    if item.repairs:
        return True
    return item.text.startswith("[") and item.text != " ".join(item.fact.text.split())


@dataclass(frozen=True, slots=True)
class BriefCounts:
    """What the brevity report counts in one brief."""

    ratio: float
    """Body words over the article's words."""
    items: int
    repeated: int
    unrepaired: int
    relevant: bool = True
    """False for a brief below its profile's min_relevance (no summary by design)."""


def count_brief(brief: Brief, article_words: int) -> BriefCounts:
    """Body-word ratio, repeated items and unrepaired openers of one brief."""
    items = body_items(brief)
    seen_text: set[str] = set()
    seen_facts: set[str] = set()
    repeated = 0
    for item in items:
        text = " ".join(item.text.split())
        facts = {item.fact.id, *item.facts}
        if text in seen_text or facts & seen_facts:
            repeated += 1
        seen_text.add(text)
        seen_facts |= facts
    unrepaired = sum(opens_with_reference(i.fact.text) and not is_repaired(i) for i in items)
    words = sum(len(i.text.split()) for i in items)
    ratio = words / max(article_words, 1)
    return BriefCounts(ratio, len(items), repeated, unrepaired, brief.relevant)


def brevity(corpus: Path) -> dict[str, list[BriefCounts]]:
    """Every article's brief for each audience, counted (audience -> one row per article)."""
    paths = sorted(
        p for p in (corpus / "articles").glob("*.txt") if not p.name.endswith(".summary.txt")
    )
    dirs = config_dirs(())
    shared = load_shared(dirs)
    extractions, failures = read_and_extract([str(p) for p in paths], shared)
    if failures:
        raise SystemExit(f"could not read: {', '.join(failures)}")
    out: dict[str, list[BriefCounts]] = {}
    for audience in AUDIENCES:
        profile = load_profile(audience, dirs).config
        rows = out.setdefault(audience, [])
        for extraction in extractions:
            doc = extraction.document
            words = sum(len(doc.text[p.start : p.end].split()) for p in doc.paragraphs)
            rows.append(count_brief(select([extraction], profile, shared.glossary), words))
    return out


def brevity_table(results: dict[str, list[BriefCounts]]) -> str:
    """One row per audience: word ratios, repeated items and unrepaired openers."""
    lines = [
        "| audience | briefs | below relevance floor | median words/article (relevant) "
        "| max | > 0.35 | items shown | repeated | unrepaired openers |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for audience, all_rows in results.items():
        rows = [r for r in all_rows if r.relevant] or all_rows
        short = sum(not r.relevant for r in all_rows)
        ratios = [r.ratio for r in rows]
        items = sum(r.items for r in rows)
        repeated = sum(r.repeated for r in rows)
        unrepaired = sum(r.unrepaired for r in rows)
        over = sum(r > 0.35 for r in ratios)
        lines.append(
            f"| {audience} | {len(all_rows)} | {short} | {median(ratios):.2f} | {max(ratios):.2f} "
            f"| {over} "
            f"| {items} | {repeated} ({_share(repeated, items)}) "
            f"| {unrepaired} ({_share(unrepaired, items)}) |"
        )
    return "\n".join(lines)


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


if __name__ == "__main__":
    sys.exit(main())
