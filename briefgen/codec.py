"""One codec for the records: facts and sources to JSON-ready data and back.

The extraction cache stores facts with it and the JSON renderer writes briefs with
it, so the two never disagree on a field.  Decoding is strict and complete: the
types (``"start": "0"`` is not an offset, ``salience: null`` not a number), the
values (a kind briefgen knows, offsets in order, every entity, time and quantity
inside its sentence, finite numbers).  Anything else is a :class:`CodecError`;
the cache treats it as a miss.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, fields, is_dataclass
from datetime import date
from types import UnionType
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

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


def facts_from_json(raw: bytes | str) -> tuple[Fact, ...]:
    """Facts from a JSON array of internal-form facts (see :func:`fact_to_dict`).

    Decoded by hand, strictly (a number is not a string, a bool not a number, every
    field present and no other), because this runs on every cache hit: a schema
    library's import and set-up would cost more than reading the entry.

    Raises:
        CodecError: not JSON, a field of the wrong type, or a value no fact can have.
    """
    try:
        data = json.loads(raw)
    except ValueError as exc:  # includes UnicodeDecodeError
        raise CodecError(f"not JSON: {exc}") from None
    if not isinstance(data, list):
        raise CodecError("expected a list of facts")
    facts = tuple(_decode(Fact, item, "fact") for item in data)
    for fact in facts:
        problem = fact_problem(fact)
        if problem:
            raise CodecError(f"fact {fact.id!r}: {problem}")
    return facts


def _decode(record: type[Any], data: object, where: str) -> Any:
    """``record`` (a dataclass) from ``data``, each field checked against its type."""
    if not isinstance(data, dict):
        raise CodecError(f"{where}: expected an object")
    names = [f.name for f in fields(record)]
    if set(data) != set(names):
        raise CodecError(f"{where}: fields {sorted(set(data) ^ set(names))} do not match")
    hints = _hints(record)
    values = {name: _value(hints[name], data[name], f"{where}.{name}") for name in names}
    return record(**values)


_HINTS: dict[type[Any], dict[str, Any]] = {}


def _hints(record: type[Any]) -> dict[str, Any]:
    """The record's field types, resolved once (the records use postponed annotations)."""
    found = _HINTS.get(record)
    if found is None:
        found = _HINTS[record] = get_type_hints(record)
    return found


def _value(hint: Any, value: object, where: str) -> Any:
    origin, args = get_origin(hint), get_args(hint)
    if origin is Literal:
        if value not in args or type(value) is not str:
            raise CodecError(f"{where}: {value!r} is not one of {args}")
        return value
    if origin in (Union, UnionType):
        if value is None and type(None) in args:
            return None
        (inner,) = [a for a in args if a is not type(None)]
        return _value(inner, value, where)
    if origin is tuple:
        if not isinstance(value, list):
            raise CodecError(f"{where}: expected a list")
        return tuple(_value(args[0], v, f"{where}[{n}]") for n, v in enumerate(value))
    if hint is float:
        if type(value) not in (int, float):
            raise CodecError(f"{where}: expected a number, got {type(value).__name__}")
        return float(value)  # type: ignore[arg-type]
    if hint in (int, str):
        if type(value) is not hint:
            raise CodecError(f"{where}: expected {hint.__name__}, got {type(value).__name__}")
        return value
    if isinstance(hint, type) and is_dataclass(hint):
        return _decode(hint, value, where)
    raise CodecError(f"{where}: no decoder for {hint!r}")  # a record field added, not here


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
