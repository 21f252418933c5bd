"""Finding a profile and resolving its ``extends:`` chain into one YAML document.

Mappings merge key by key, ``sections`` by id (:mod:`briefgen.config.sections`),
other lists and scalars replace; the ``file:line`` of every key follows it, so an
error in an inherited key names the file that set it.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefgen.config.loading import Located, load_yaml
from briefgen.config.sections import merge_sections
from briefgen.errors import ConfigError, printable

MAX_EXTENDS = 20
"""Longest ``extends:`` chain; the built-ins use one level."""


@dataclass(frozen=True, slots=True)
class ProfileRef:
    """Where a profile was found, for `--list-audiences`."""

    id: str
    path: Path
    origin: str


def find_profiles(config_dirs: Sequence[Path]) -> dict[str, ProfileRef]:
    """Every profile in ``<dir>/audiences/*.yaml``; earlier folders win."""
    found: dict[str, ProfileRef] = {}
    for index, folder in enumerate(config_dirs):
        origin = "built-in" if index == len(config_dirs) - 1 else str(folder)
        for path in sorted((folder / "audiences").glob("*.y*ml")):
            found.setdefault(path.stem, ProfileRef(path.stem, path, origin))
    return found


@dataclass(frozen=True, slots=True)
class Resolved:
    """A profile with its ancestors merged in: the YAML, its file, the ids of the
    chain (its own first) and the warnings merging gave."""

    doc: Located
    path: Path
    lineage: tuple[str, ...]
    warnings: tuple[str, ...] = ()


def _locate(
    spec: str, config_dirs: Sequence[Path], parent: Path | None, referrer: str | None
) -> Path:
    """The file of profile ``spec``; ``referrer`` is the ``file:line`` of the
    ``extends:`` that names it (None: the command line)."""
    at = f"{referrer}: extends: " if referrer else ""
    if spec.endswith((".yaml", ".yml")) or "/" in spec:
        path = Path(spec)
        if not path.is_absolute() and parent is not None and not path.exists():
            path = parent.parent / spec
        if not path.is_file():
            raise ConfigError(f"{at}{spec}: no such profile file")
        if path.suffix not in (".yaml", ".yml"):
            # refused before reading: a system file read as YAML would be quoted back
            raise ConfigError(f"{at}{spec}: not a profile (a profile is a .yaml or .yml file)")
        return path
    profiles = find_profiles(config_dirs)
    found = profiles.get(spec) or _ignoring_case(spec, profiles)
    if found is not None:
        return found.path
    known = ", ".join(sorted(profiles)) or "none"
    what = "profile" if referrer else "audience"
    hint = _closest_id(spec, list(profiles)) + _nested_hint(spec, config_dirs[:-1])
    # "all" is an answer to --audience, not a profile a parent could be
    also = "" if referrer else ", all"
    raise ConfigError(printable(f"{at}unknown {what} '{spec}'{hint} (available: {known}{also})"))


def _ignoring_case(spec: str, profiles: dict[str, ProfileRef]) -> ProfileRef | None:
    """``NATO`` for ``nato``, as ``-f PDF`` is ``pdf``; only when one id matches."""
    matches = [ref for pid, ref in profiles.items() if pid.casefold() == spec.casefold()]
    return matches[0] if len(matches) == 1 else None


def _closest_id(spec: str, ids: list[str]) -> str:
    match = difflib.get_close_matches(spec.casefold(), ids, n=1, cutoff=0.6)
    return f" (did you mean `{match[0]}`?)" if match else ""


def _nested_hint(spec: str, user_dirs: Sequence[Path]) -> str:
    """A hint when a user folder holds the profile one level down: ``--configs
    mybrief`` given for the export folder, whose profiles are in ``mybrief/configs``."""
    for folder in user_dirs:
        for candidate in sorted(folder.glob(f"*/audiences/{spec}.y*ml")):
            sub = candidate.parent.parent
            return f"; {sub} holds it: give --configs {sub}"
    return ""


def resolve(
    spec: str,
    config_dirs: Sequence[Path],
    keys: Collection[str],
    chain: tuple[Path, ...] = (),
    referrer: str | None = None,
) -> Resolved:
    """Profile ``spec`` with its ancestors merged in; ``keys`` are the profile keys
    (a mapping holding none of them is not a profile).

    Raises:
        ConfigError: unknown profile, a loop, too deep a chain, or bad YAML.
    """
    path = _locate(spec, config_dirs, chain[-1] if chain else None, referrer)
    if path.resolve() in chain:
        names = " -> ".join(p.name for p in (*chain, path.resolve()))
        raise ConfigError(f"{path}: profile inheritance loops ({names})")
    doc = load_yaml(path)
    if doc.data is not None and not isinstance(doc.data, dict):
        raise ConfigError(f"{path}:1: expected a mapping of profile keys")
    data: dict[str, Any] = dict(doc.data or {})
    if data and not any(key in keys for key in data):
        # not a profile (a password file parses as a mapping of its lines): say so
        # without quoting a single key of it
        raise ConfigError(f"{path}:1: not an audience profile (none of its keys is a profile key)")
    raw_id = data.get("id", path.stem)
    own_id: str = raw_id if isinstance(raw_id, str) else path.stem
    parent_spec = data.get("extends")
    if not isinstance(parent_spec, str):
        return _with_sections(None, doc, path, (own_id,))
    if len(chain) + 1 >= MAX_EXTENDS:  # 3,000 levels was a RecursionError
        where = doc.where(("extends",))
        raise ConfigError(f"{where}: extends: more than {MAX_EXTENDS} profiles deep")
    if not chain and parent_spec == path.stem:
        # a user profile named like a built-in extends the built-in, not itself
        config_dirs = config_dirs[-1:]
    parent = resolve(
        parent_spec, config_dirs, keys, (*chain, path.resolve()), doc.where(("extends",))
    )
    data.pop("id", None)
    merged = _merge(parent.doc.data if isinstance(parent.doc.data, dict) else {}, data)
    merged["id"] = raw_id
    # a list or scalar the child sets replaces the parent's, and so do its lines; the id
    # is never inherited (without one, it is the child's file name)
    inherited = {
        k: v for k, v in parent.doc.lines.items() if not _replaced(k, data) and k[:1] != ("id",)
    }
    located = Located(data=merged, lines={**inherited, **doc.lines}, path=str(path))
    own = Located(data=data, lines=doc.lines, path=str(path))
    resolved = _with_sections(parent.doc, own, path, (own_id, *parent.lineage), located)
    return Resolved(resolved.doc, path, resolved.lineage, (*parent.warnings, *resolved.warnings))


def _with_sections(
    parent: Located | None,
    child: Located,
    path: Path,
    lineage: tuple[str, ...],
    merged: Located | None = None,
) -> Resolved:
    """``merged`` (the child over its parent) with the sections merged by id."""
    merged = merged or child
    sections = merge_sections(parent, child)
    if sections is None:
        return Resolved(merged, path, lineage)
    data = {**merged.data, "sections": sections.sections}
    lines = {k: v for k, v in merged.lines.items() if k[:1] != ("sections",)}
    lines.update(sections.lines)
    return Resolved(Located(data, lines, merged.path), path, lineage, tuple(sections.warnings))


def _replaced(key: tuple[str | int, ...], override: dict[str, Any]) -> bool:
    """Whether ``override`` (a child profile) replaces the value at ``key`` wholesale."""
    node: Any = override
    for part in key:
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
        if not isinstance(node, dict):
            return True
    return False


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out
