"""A child profile's ``sections:`` merged with its parent's, by section ``id``.

Replacing the whole list (as other lists are) made changing one section's
``max_items`` silently drop every other section, and a partial entry an error. So
an entry whose ``id`` the parent has overrides only the keys it sets; ``remove:
true`` drops that section; an entry with a new ``id`` is added after the parent's.
An empty list (``sections: []``) still means no sections at all: it is the one way
to say so without naming each. The ``file:line`` of every key follows its value to
its new place in the list, so errors still point at the line that set it.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from briefgen.config.loading import KeyPath, Located, format_key
from briefgen.errors import ConfigError, printable

KEY = "sections"
Lines = dict[KeyPath, tuple[str, int]]


@dataclass(slots=True)
class _Entry:
    """One section of the merged list: its keys and where each was set."""

    data: Any  # a mapping, unless the user wrote something else (validation says so)
    lines: Lines = field(default_factory=dict)  # keys relative to the entry: ("max_items",)


@dataclass(frozen=True, slots=True)
class MergedSections:
    sections: list[Any]
    lines: Lines  # full key paths: ("sections", 2, "max_items")
    warnings: list[str]


def merge_sections(parent: Located | None, child: Located) -> MergedSections | None:
    """The merged ``sections`` of ``child`` over ``parent`` (None: nothing to merge,
    the child does not set a list of sections).

    Raises:
        ConfigError: ``remove`` that is not true or false, or an entry without an
            ``id`` when the parent has sections (it cannot be merged).
    """
    own = child.data.get(KEY) if isinstance(child.data, dict) else None
    if not isinstance(own, list):
        return None
    inherited = (
        [_entry(item, parent, i) for i, item in enumerate(_parent_list(parent))] if own else []
    )
    by_id = {_id(e): e for e in inherited if _id(e) is not None}
    merged, warnings = list(inherited), []
    for index, item in enumerate(own):
        entry = _entry(item, child, index)
        if not isinstance(entry.data, dict):
            merged.append(entry)
            continue
        sid = entry.data.get("id")
        if sid is None and by_id:  # merged by id: say so where the user wrote it
            key: KeyPath = (KEY, index, "id")
            raise ConfigError(f"{child.where(key)}: {format_key(key)}: required key is missing")
        if _remove_flag(entry, child, index):
            if sid in by_id:
                merged.remove(by_id.pop(sid))
            else:
                warnings.append(_no_such_section(child, index, sid, list(by_id)))
        elif isinstance(sid, str) and sid in by_id:
            by_id[sid].data.update(entry.data)
            by_id[sid].lines.update(entry.lines)
        else:
            merged.append(entry)
    return MergedSections([e.data for e in merged], _renumber(merged, child), warnings)


def _parent_list(parent: Located | None) -> list[Any]:
    base = parent.data.get(KEY) if parent is not None and isinstance(parent.data, dict) else None
    return base if isinstance(base, list) else []


def _id(entry: _Entry) -> str | None:
    sid = entry.data.get("id") if isinstance(entry.data, dict) else None
    return sid if isinstance(sid, str) else None


def _entry(item: Any, doc: Located | None, index: int) -> _Entry:
    lines = {
        key[2:]: line
        for key, line in (doc.lines.items() if doc is not None else ())
        if key[:2] == (KEY, index)
    }
    return _Entry(dict(item) if isinstance(item, dict) else item, lines)


def _remove_flag(entry: _Entry, doc: Located, index: int) -> bool:
    if "remove" not in entry.data:
        return False
    value = entry.data.pop("remove")
    entry.lines.pop(("remove",), None)
    if not isinstance(value, bool):
        key: KeyPath = (KEY, index, "remove")
        raise ConfigError(f"{doc.where(key)}: {format_key(key)}: expected true or false")
    return value


def _no_such_section(doc: Located, index: int, sid: object, known: list[Any]) -> str:
    names = [k for k in known if isinstance(k, str)]
    match = difflib.get_close_matches(str(sid), names, n=1, cutoff=0.6)
    hint = f" (did you mean `{match[0]}`?)" if match else ""
    have = f"; the parent has: {', '.join(names)}" if names else "; the parent has none"
    key: KeyPath = (KEY, index)
    return printable(
        f"{doc.where(key)}: {format_key(key)}: no section '{sid}' to remove{hint}{have}"
    )


def _renumber(merged: list[_Entry], child: Located) -> Lines:
    lines: Lines = {}
    if (KEY,) in child.lines:
        lines[(KEY,)] = child.lines[(KEY,)]
    for index, entry in enumerate(merged):
        for key, line in entry.lines.items():
            lines[(KEY, index, *key)] = line
    return lines
