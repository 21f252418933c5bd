"""One codec for the records: facts and sources to JSON-ready data and back.

The extraction cache stores facts with it and the JSON renderer writes briefs with
it, so the two never disagree on a field.  Decoding is strict and complete: the
types (``"start": "0"`` is not an offset, ``salience: null`` not a number), the
values (a kind briefgen knows, offsets in order, every entity, time and quantity
inside its sentence, finite numbers).  Anything else is a :class:`CodecError`;
the cache treats it as a miss.
"""

from __future__ import annotations

import math
from dataclasses import asdict
from datetime import date
from functools import cache
from typing import Any

from briefgen.records import Entity, Fact, Quantity, Source, TimeRef


class CodecError(ValueError):
    """Data that does not decode into valid records."""


def fact_to_dict(fact: Fact, internal: bool = False) -> dict[str, Any]:
    """A fact as JSON-ready data.

    ``internal`` keeps the lemmas (a matching aid the cache needs) and topics as a
    list; the public form (the JSON brief) drops the lemmas, gives topics as a
    ``{topic: score}`` mapping and writes a non-finite number as null, since strict
    JSON has no infinity.
    """
    data = asdict(fact)
    if internal:
        return data
    data.pop("lemmas")  # matching aids, not part of the contract
    data.pop("main_lemmas", None)
    data["topics"] = {t.topic: t.score for t in fact.topics}
    for quantity in data["quantities"]:
        for key in ("value", "si_value"):
            if isinstance(quantity[key], float) and not math.isfinite(quantity[key]):
                quantity[key] = None
    return data


def source_to_dict(source: Source) -> dict[str, Any]:
    data = asdict(source)
    if isinstance(source.published, date):
        data["published"] = source.published.isoformat()
    return data


@cache
def _facts_adapter() -> Any:  # pydantic's TypeAdapter, built on first use (~10 ms)
    from pydantic import TypeAdapter

    return TypeAdapter(tuple[Fact, ...])


def facts_from_json(raw: bytes | str) -> tuple[Fact, ...]:
    """Facts from a JSON array of internal-form facts (see :func:`fact_to_dict`).

    Raises:
        CodecError: not JSON, a field of the wrong type, or a value no fact can have.
    """
    from pydantic import ValidationError

    try:
        facts: tuple[Fact, ...] = _facts_adapter().validate_json(raw, strict=True)
    except ValidationError as exc:
        raise CodecError(str(exc).splitlines()[0]) from None
    for fact in facts:
        problem = fact_problem(fact)
        if problem:
            raise CodecError(f"fact {fact.id!r}: {problem}")
    return facts


def fact_problem(fact: Fact) -> str | None:
    """Why ``fact`` cannot be a fact briefgen made, or None."""
    if not 0 <= fact.start <= fact.end or fact.end - fact.start != len(fact.text):
        return f"offsets {fact.start}-{fact.end} do not span its text"
    if fact.position < 0 or fact.paragraph < 0:
        return "negative position or paragraph"
    spans: list[Entity | TimeRef | Quantity] = [*fact.entities, *fact.times, *fact.quantities]
    if any(not fact.start <= s.start <= s.end <= fact.end for s in spans):
        return "an entity, time or quantity lies outside the sentence"
    numbers = [fact.salience, *(t.score for t in fact.topics)]
    numbers += [n for q in fact.quantities for n in (q.value, q.si_value) if n is not None]
    if not all(math.isfinite(n) for n in numbers):
        return "a number that is not finite"
    return None
