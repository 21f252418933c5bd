"""Score the public profile's summary against human references, next to classic peers.

For every BBC and Daily Mail article under ``--corpus``/articles, each system picks
``k`` of the article's sentences and ROUGE-1/2/L F1 (``rouge-score``, Porter stemmer)
compares them with the human reference:

* ``briefgen public``: the summary of the built-in ``public`` profile
  (``summary.max_items`` set to ``k``, nothing else changed), scored as the source
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

Usage: ``python benchmarks/quality.py --corpus ../shared/corpus`` (needs
``pip install '.[bench]'``).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from statistics import mean
from typing import Any

from rouge_score import rouge_scorer
from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
from sumy.nlp.stemmers import Stemmer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer
from sumy.utils import get_stop_words

from briefgen.config.profiles import ProfileConfig, load_profile
from briefgen.config.shared import config_dirs, load_shared
from briefgen.pipeline import extract
from briefgen.records import Extraction, Fact
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
    extractions, failures = extract([str(p) for p in paths], shared, (), warn=print)
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

    def summarize(article: Article, k: int) -> list[str]:
        summary = profile.summary.model_copy(update={"max_items": k})
        brief = select(
            [article.extraction], profile.model_copy(update={"summary": summary}), glossary
        )
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
    args = parser.parse_args(argv)
    articles = load_articles(args.corpus)
    groups = {
        "all": articles,
        **{p.rstrip("-"): [a for a in articles if a.name.startswith(p)] for p in CORPORA},
    }
    label = f"k={args.k}" if args.k else "k=reference sentences"
    for group, members in groups.items():
        if members:
            print(f"\n{group}:\n" + table(score(members, args.k), label))
    if args.per_article:
        _print_per_article(articles, args.k)
    return 0


def _print_per_article(articles: Sequence[Article], fixed_k: int | None) -> None:
    results = score(articles, fixed_k)
    for i, article in enumerate(articles):
        cells = "  ".join(f"{n}={100 * rows[i]['rouge2']:.1f}" for n, rows in results.items())
        print(f"{article.name} (k={fixed_k or len(article.reference)}): R2 {cells}")


if __name__ == "__main__":
    sys.exit(main())
