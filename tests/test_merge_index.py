"""The merge's similarity index finds exactly what comparing every pair finds above
its threshold (same facts, same cosines, same order), without comparing every pair."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.merge import NEAR_COSINE, REPRINT_COSINE, _LemmaIndex

WORDS = [f"w{n}" for n in range(12)]  # few words: many shared, many near the threshold
SETS = st.lists(st.frozensets(st.sampled_from(WORDS), max_size=8), min_size=1, max_size=30)


def _every_pair(
    added: list[frozenset[str]], probe: frozenset[str], threshold: float
) -> list[tuple[str, float]]:
    """The old scan: every indexed set sharing a lemma, met lemma by lemma."""
    shared: dict[str, int] = {}
    for lemma in probe:
        for n, lemmas in enumerate(added):
            if lemma in lemmas:
                shared[str(n)] = shared.get(str(n), 0) + 1
    hits = [(k, c / math.sqrt(len(probe) * len(added[int(k)]))) for k, c in shared.items()]
    return [(k, sim) for k, sim in hits if sim >= threshold]


@settings(max_examples=300, deadline=None)
@given(SETS, st.sampled_from([NEAR_COSINE, 0.5, REPRINT_COSINE]))
def test_index_finds_what_every_pair_finds(sets: list[frozenset[str]], threshold: float) -> None:
    index = _LemmaIndex(threshold, sets)
    for n, lemmas in enumerate(sets):
        assert index.similar(lemmas) == _every_pair(sets[:n], lemmas, threshold)
        index.add(str(n), lemmas)
