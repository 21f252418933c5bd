"""Grade: every item in the Admiralty (NATO) code, reliability letter + credibility digit.

As in AJP-2.1 / STANAG 2511, the two are judged separately:

* **Reliability** (A-F) is the source's: the best letter among the publishers that
  carry the item, from ``configs/sources.yaml`` (a publisher it does not list is F).
* **Credibility** (1-6) is the information's, from what the other sources say:

  - **5** improbable: a report of the same measure with another value, from a source
    graded as well or better, and more independent origins for it than for the item;
  - **4** doubtful: contradicted like that, but not outweighed;
  - **3** possibly true: contradicted only by less reliable sources;
  - **1** confirmed: two or more independent origins carry it and nothing contradicts it;
  - one origin only, nothing against it: **2** probably true from an A or B source,
    **3** from C or D, **4** from E, **6** truth cannot be judged from F.

An attributed claim ("the ministry said the drills will last 11 days") is graded as
that speaker's claim: what is graded is the report that the speaker said it;
corroboration of the saying is not corroboration of what was said, and the basis
says so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from briefgen.merge import PublisherTable, Reliability, Story
from briefgen.records import Fact, Grade, Source

LETTERS = "ABCDEF"
RELIABILITY_WORDS = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "reliability cannot be judged",
}
_SINGLE = {"A": 2, "B": 2, "C": 3, "D": 3, "E": 4, "F": 6}


def grade(
    evidence: Sequence[Fact],
    story: Story,
    table: PublisherTable,
    sources: Mapping[str, Source],
) -> Grade:
    """The grade of an item standing for ``evidence`` (see the module docstring)."""
    letter = _best(table, sources, {f.doc for f in evidence})
    origins = story.corroboration(evidence).publishers
    rivals = _rivals(evidence, story)
    if rivals:
        rival_letter = _best(table, sources, {f.doc for f in rivals})
        rival_origins = len({story.origins.get(f.doc, f.doc) for f in rivals})
        if LETTERS.index(rival_letter) <= LETTERS.index(letter):
            credibility = 5 if rival_origins > origins else 4
            basis = (
                f"contradicted by {rival_origins} source{'s' if rival_origins != 1 else ''} "
                f"graded {rival_letter} giving a figure differently"
            )
        else:
            credibility, basis = 3, f"contradicted only by less reliable sources ({rival_letter})"
    elif origins >= 2:
        credibility, basis = 1, f"confirmed by {origins} independent sources"
    else:
        credibility = _SINGLE[letter]
        basis = f"one source only ({letter}: {RELIABILITY_WORDS[letter]}), nothing contradicts it"
    claim = _claim(evidence)
    if claim:
        basis = f"graded: the report that {claim} said it, not what was said; {basis}"
    return Grade(letter, credibility, basis)


def _best(table: PublisherTable, sources: Mapping[str, Source], docs: set[str]) -> Reliability:
    letters = [table.reliability(sources[d])[0] for d in docs if d in sources]
    return min(letters, key=LETTERS.index, default="F")


def _rivals(evidence: Sequence[Fact], story: Story) -> list[Fact]:
    ids = {f.id for f in evidence}
    rival_ids = set().union(*(story.rivals.get(i, frozenset()) for i in ids)) - ids
    return [story.fact(i) for i in sorted(rival_ids)]


def _claim(evidence: Sequence[Fact]) -> str | None:
    for fact in evidence:
        if fact.attribution is not None and fact.kind in {"statement", "quote"}:
            return fact.attribution.speaker
    return None
