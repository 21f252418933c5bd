"""YAML config files validated into typed objects, with errors that point at file:line.

We compose the YAML ourselves (rather than ``yaml.safe_load``) to keep each node's
line, so a message reads ``nato.yaml:14: sections[0].max_items: expected an
integer, got 'ten'``.  All errors of a file are reported at once; unknown keys are
warnings with the closest valid name, and become errors under ``strict``.

Hostile YAML is refused quickly and in bounded memory: a file larger than
:data:`MAX_CONFIG_BYTES`, nesting deeper than :data:`MAX_DEPTH` (PyYAML's scanner is
quadratic in depth and its composer recursive), more than :data:`MAX_NODES` values
before or after expanding aliases ("billion laughs"), a recursive alias, or a key
given twice (YAML forbids it; PyYAML would silently keep the last one).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError
from yaml.reader import ReaderError
from yaml.scanner import ScannerError

from briefgen.errors import ConfigError, printable
from briefgen.files import read_limited

KeyPath = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)
MAX_NODES = 100_000  # values in one document, as written and with aliases expanded
MAX_DEPTH = 50  # our deepest schema is 4 levels
MAX_CONFIG_BYTES = 1_000_000  # the built-in configs are ~3 kB each


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


class _BoundedLoader(yaml.SafeLoader):
    """SafeLoader that stops at :data:`MAX_DEPTH` and :data:`MAX_NODES` while scanning,
    before a hostile document costs time or memory, and names the line of a bad value."""

    composed = 0  # nodes composed so far, aliases not followed

    def fetch_more_tokens(self) -> None:
        if self.flow_level > MAX_DEPTH or len(self.indents) > MAX_DEPTH:
            raise ScannerError(
                None, None, f"nested deeper than {MAX_DEPTH} levels", self.get_mark()
            )
        super().fetch_more_tokens()

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        self.composed += 1
        if self.composed > MAX_NODES:
            raise ComposerError(None, None, f"more than {MAX_NODES} values", self.get_mark())
        return super().compose_node(parent, index)

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, OverflowError) as exc:  # e.g. a date 2024-13-45
            raise ConstructorError(
                None, None, f"invalid {node.tag.rsplit(':', 1)[-1]}: {exc}", node.start_mark
            ) from None


# The configs shipped with briefgen are parsed by libyaml (about 7x faster: a cache
# hit is mostly start-up); a user's file, which may be hostile, by _BoundedLoader.
_TrustedLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path: Path, label: str | None = None) -> Located:
    """Read a YAML file, keeping line numbers.

    Raises:
        ConfigError: unreadable or oversized file, or invalid YAML (with its line).
    """
    name = label or str(path)
    raw = read_limited(path, MAX_CONFIG_BYTES, ConfigError, "the config size limit")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ConfigError(f"{name}:{line}: not UTF-8 text (byte {exc.start})") from None
    return parse_yaml(text, name, trusted=_is_builtin(path))


def _is_builtin(path: Path) -> bool:
    from briefgen.resources import builtin_dir

    try:
        return path.resolve().is_relative_to(builtin_dir("configs").resolve())
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop (Python < 3.13)
        return False


def parse_yaml(text: str, name: str, trusted: bool = False) -> Located:
    """Parse YAML text named ``name`` into :class:`Located` data.

    ``trusted`` text (briefgen's own configs) skips the scanning limits.

    Raises:
        ConfigError: invalid or hostile YAML, with ``name:line``.
    """
    try:
        loader = (_TrustedLoader if trusted else _BoundedLoader)(text)
        try:
            node = loader.get_single_node()
            lines: dict[KeyPath, tuple[str, int]] = {}
            if node is not None:
                _walk(node, (), _Walk(name, lines))
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise ConfigError(f"{name}:{line}: invalid YAML: {exc.problem or exc.context}") from None
    except ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        char = f"U+{exc.character:04X}" if isinstance(exc.character, int) else "a character"
        raise ConfigError(f"{name}:{line}: invalid YAML: {char} is not allowed") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{name}: invalid YAML: {exc}") from None
    return Located(data=data, lines=lines, path=name)


@dataclass(slots=True)
class _Walk:
    """What walking one document carries: its name, the lines found, the values seen."""

    name: str
    lines: dict[KeyPath, tuple[str, int]]
    count: int = 0


def _walk(node: yaml.Node, key: KeyPath, state: _Walk) -> None:
    # the walk follows aliases, so its count is the expanded size every later
    # pass (construct, copy, validate) will see
    state.count += 1
    if state.count > MAX_NODES or len(key) > MAX_DEPTH:
        # the top-level entry that grows too much is the line worth reading
        line = state.lines.get(key[:1], (state.name, node.start_mark.line + 1))[1]
        what = (
            f"more than {MAX_NODES} values after expanding aliases (an alias bomb?)"
            if state.count > MAX_NODES
            else f"nested deeper than {MAX_DEPTH} levels after expanding aliases "
            "(a recursive alias?)"
        )
        raise ConfigError(f"{state.name}:{line}: YAML too large: {what}")
    state.lines.setdefault(key, (state.name, node.start_mark.line + 1))
    if isinstance(node, yaml.MappingNode):
        first: dict[str, int] = {}
        for k, v in node.value:
            sub = (*key, str(k.value))
            line = k.start_mark.line + 1
            if isinstance(k, yaml.ScalarNode) and k.value != "<<":
                _check_duplicate(str(k.value), line, first, sub, state.name)
            state.lines[sub] = (state.name, line)
            _walk(v, sub, state)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, (*key, i), state)


def _check_duplicate(key: str, line: int, first: dict[str, int], path: KeyPath, name: str) -> None:
    if key in first:
        raise ConfigError(
            printable(
                f"{name}:{line}: {format_key(path)}: key given twice (first on line {first[key]})"
            )
        )
    first[key] = line


def format_key(key: KeyPath) -> str:
    """``('sections', 0, 'max_items')`` -> ``sections[0].max_items``.

    A key that is empty or holds spaces or control characters is quoted
    (``' '``, ``'a\\tb'``), so it never reads as nothing, or as two keys.
    """
    text = ""
    for part in key:
        if isinstance(part, int):
            text += f"[{part}]"
            continue
        part = _truncate(part)
        if not part or any(ch.isspace() or not ch.isprintable() for ch in part):
            part = repr(part)
        text += f".{part}" if text else part
    return text


QUOTE_LIMIT = 40
"""Most characters of a key or value quoted in a message: enough to recognise a typo,
too few to copy a file that was never meant to be a config into a log."""


def _truncate(text: str) -> str:
    return text if len(text) <= QUOTE_LIMIT else text[: QUOTE_LIMIT - 1] + "…"


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
        # printable: a key may hold a newline, and each message must stay one line
        warnings.append(printable(f"{doc.where(key)}: {format_key(key)}: unknown key{hint}"))
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
        current = inner_model(field.annotation)
    return list(current.model_fields) if hasattr(current, "model_fields") else []


def inner_model(annotation: Any) -> Any:
    """The pydantic model inside an annotation (``list[SectionConfig]`` -> SectionConfig)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = inner_model(arg)
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
    return printable(_message(doc, err))  # one line per error, whatever the key holds


def _message(doc: Located, err: Any) -> str:
    key: KeyPath = err["loc"]
    where, name = doc.where(key), format_key(key) or "(top level)"
    kind: str = err["type"]
    if kind == "missing":
        return f"{where}: {name}: required key is missing"
    base = kind.split("_")[0]
    if base in _EXPECTED and (kind.endswith("_type") or kind.endswith("_parsing")):
        return f"{where}: {name}: expected {_EXPECTED[base]}, got {_show(err.get('input'))}"
    if kind == "value_error":  # our own validators: their message says it all
        return f"{where}: {name}: {err['msg'].removeprefix('Value error, ')}"
    return f"{where}: {name}: {err['msg']}"


def _show(value: Any) -> str:
    names = {list: "a list", dict: "a mapping", type(None): "nothing"}
    return names.get(type(value), _truncate(repr(value)))
