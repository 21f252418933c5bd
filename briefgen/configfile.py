"""YAML config files validated into typed objects, with errors that point at file:line.

We compose the YAML ourselves (rather than ``yaml.safe_load``) to keep each node's
line, so a message reads ``nato.yaml:14: sections[0].max_items: expected an
integer, got 'ten'``.  All errors of a file are reported at once; unknown keys are
warnings with the closest valid name, and become errors under ``strict``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from briefgen.errors import ConfigError

KeyPath = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)
MAX_NODES = 100_000  # guards against alias bombs: expanded size, not text size


@dataclass(frozen=True, slots=True)
class Located:
    """Plain YAML data plus the ``file:line`` of every key path in it."""

    data: Any
    lines: dict[KeyPath, tuple[str, int]]
    path: str

    def where(self, key: KeyPath) -> str:
        for n in range(len(key), -1, -1):
            if key[:n] in self.lines:
                file, line = self.lines[key[:n]]
                return f"{file}:{line}"
        return self.path


def load_yaml(path: Path, label: str | None = None) -> Located:
    """Read a YAML file, keeping line numbers.

    Raises:
        ConfigError: unreadable file or invalid YAML (with its line).
    """
    name = label or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{name}: cannot read: {exc}") from None
    return parse_yaml(text, name)


def parse_yaml(text: str, name: str) -> Located:
    """Parse YAML text named ``name`` into :class:`Located` data."""
    try:
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            lines: dict[KeyPath, tuple[str, int]] = {}
            if node is not None:
                _walk(node, (), name, lines, [0])
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise ConfigError(f"{name}:{line}: invalid YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{name}: invalid YAML: {exc}") from None
    return Located(data=data, lines=lines, path=name)


def _walk(
    node: yaml.Node, key: KeyPath, name: str, out: dict[KeyPath, tuple[str, int]], count: list[int]
) -> None:
    count[0] += 1
    if count[0] > MAX_NODES:
        raise ConfigError(f"{name}: YAML too large after expanding aliases (alias bomb?)")
    out.setdefault(key, (name, node.start_mark.line + 1))
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            sub = (*key, str(k.value))
            out[sub] = (name, k.start_mark.line + 1)
            _walk(v, sub, name, out, count)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, (*key, i), name, out, count)


def format_key(key: KeyPath) -> str:
    """``('sections', 0, 'max_items')`` -> ``sections[0].max_items``."""
    text = ""
    for part in key:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def validate(model: type[M], doc: Located, strict: bool = False) -> tuple[M, list[str]]:
    """Validate ``doc`` into ``model``; return it with warnings about unknown keys.

    Raises:
        ConfigError: every error of the file, one per line, each with file:line and key.
    """
    data = doc.data if doc.data is not None else {}
    warnings: list[str] = []
    for _ in range(20):  # each round strips the unknown keys pydantic reported
        try:
            obj = model.model_validate(data)
        except ValidationError as exc:
            unknown = [e for e in exc.errors() if e["type"] == "extra_forbidden"]
            if not unknown:
                raise ConfigError(_join(doc, exc, warnings)) from None
            data = _strip(data, unknown, doc, model, warnings)
            continue
        if strict and warnings:
            raise ConfigError("\n".join(warnings))
        return obj, warnings
    raise ConfigError(f"{doc.path}: too many unknown keys")


def _strip(
    data: Any, unknown: list[Any], doc: Located, model: type[BaseModel], warnings: list[str]
) -> Any:
    data = _copy(data)
    for err in unknown:
        key = tuple(err["loc"])
        parent = data
        for part in key[:-1]:
            parent = parent[part]
        parent.pop(key[-1], None)
        hint = _closest(str(key[-1]), _siblings(model, key[:-1]))
        warnings.append(f"{doc.where(key)}: {format_key(key)}: unknown key{hint}")
    return data


def _copy(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _copy(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_copy(v) for v in data]
    return data


def _siblings(model: type[BaseModel], key: KeyPath) -> list[str]:
    current: Any = model
    for part in key:
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part) if hasattr(current, "model_fields") else None
        if field is None:
            return []
        current = _inner_model(field.annotation)
    return list(current.model_fields) if hasattr(current, "model_fields") else []


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _closest(word: str, options: list[str]) -> str:
    match = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f" (did you mean `{match[0]}`?)" if match else ""


def _join(doc: Located, exc: ValidationError, warnings: list[str]) -> str:
    return "\n".join([*warnings, *(_describe(doc, e) for e in _errors(exc))])


def _errors(exc: ValidationError) -> Iterator[Any]:
    seen: set[KeyPath] = set()
    for err in exc.errors():
        key = tuple(p for p in err["loc"] if not str(p).startswith("function-"))
        if key not in seen:  # unions report one error per branch; the first says enough
            seen.add(key)
            yield {**err, "loc": key}


_EXPECTED = {
    "int": "an integer",
    "float": "a number",
    "string": "a string",
    "bool": "true or false",
    "dict": "a mapping",
    "list": "a list",
    "model": "a mapping",
}


def _describe(doc: Located, err: Any) -> str:
    key: KeyPath = err["loc"]
    where, name = doc.where(key), format_key(key) or "(top level)"
    kind: str = err["type"]
    if kind == "missing":
        return f"{where}: {name}: required key is missing"
    base = kind.split("_")[0]
    if base in _EXPECTED and (kind.endswith("_type") or kind.endswith("_parsing")):
        return f"{where}: {name}: expected {_EXPECTED[base]}, got {_show(err.get('input'))}"
    return f"{where}: {name}: {err['msg']}"


def _show(value: Any) -> str:
    names = {list: "a list", dict: "a mapping", type(None): "nothing"}
    return names.get(type(value), repr(value))
