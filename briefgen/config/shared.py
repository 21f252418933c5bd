"""Locating and loading the shared configs: user folders first, built-ins last."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from briefgen.config.loading import Located, load_yaml, validate
from briefgen.errors import ConfigError
from briefgen.extract.aliases import AliasConfig, AliasTable
from briefgen.extract.classify import TaxonomyConfig
from briefgen.merge import PublisherTable, SourceTableConfig
from briefgen.resources import builtin_dir
from briefgen.select import GlossaryConfig
from briefgen.sources.clean import Cleaner, CleaningConfig


@dataclass(frozen=True, slots=True)
class SharedConfig:
    """The configs every audience shares: cleaning rules, aliases, topics, glossary."""

    cleaner: Cleaner
    aliases: AliasTable
    taxonomy: TaxonomyConfig
    glossary: GlossaryConfig
    warnings: tuple[str, ...]
    publishers: PublisherTable = field(default_factory=PublisherTable)
    """Publisher families (``sources.yaml``), for corroboration."""
    fingerprint: str = ""
    """Hash of the config files that shape facts (cleaning, aliases, topics): a cache key part."""


def config_dirs(user_dirs: Sequence[Path]) -> tuple[Path, ...]:
    """The search path for configs: the user's folders, then the built-ins."""
    return (*user_dirs, builtin_dir("configs"))


def find_config(name: str, dirs: Sequence[Path]) -> Path:
    for folder in dirs:
        if (folder / name).is_file():
            return folder / name
    raise ConfigError(f"{name} not found in [{', '.join(map(str, dirs))}]")


@dataclass(frozen=True, slots=True)
class SharedFile:
    """One shared config file: its name, its schema, and whether it shapes facts (its
    bytes are then part of the extraction cache key)."""

    name: str
    model: type[BaseModel]
    shapes_facts: bool


# Every shared config, declared once: adding one is a line here and a field on
# SharedConfig (docs/architecture.md, "a new shared config").
SHARED_FILES = (
    SharedFile("cleaning.yaml", CleaningConfig, shapes_facts=True),
    SharedFile("aliases.yaml", AliasConfig, shapes_facts=True),
    SharedFile("topics.yaml", TaxonomyConfig, shapes_facts=True),
    SharedFile("glossary.yaml", GlossaryConfig, shapes_facts=False),
    # publisher families shape briefs (corroboration), not facts
    SharedFile("sources.yaml", SourceTableConfig, shapes_facts=False),
)


@dataclass(frozen=True, slots=True)
class _Loaded:
    config: Any
    doc: Located


def load_shared(dirs: Sequence[Path]) -> SharedConfig:
    """Load and validate the shared configs (:data:`SHARED_FILES`) from the search path."""
    warnings: list[str] = []
    digest = hashlib.sha256()
    loaded: dict[str, _Loaded] = {}
    for spec in SHARED_FILES:
        path = find_config(spec.name, dirs)
        doc = load_yaml(path)
        config, found = validate(spec.model, doc)
        warnings.extend(found)
        if spec.shapes_facts:
            digest.update(spec.name.encode() + b"\0" + path.read_bytes() + b"\0")
        loaded[spec.name] = _Loaded(config, doc)
    return SharedConfig(
        cleaner=_cleaner(loaded["cleaning.yaml"]),
        aliases=AliasTable(loaded["aliases.yaml"].config),
        taxonomy=loaded["topics.yaml"].config,
        glossary=loaded["glossary.yaml"].config,
        publishers=PublisherTable(loaded["sources.yaml"].config),
        warnings=tuple(warnings),
        fingerprint=digest.hexdigest(),
    )


def _cleaner(loaded: _Loaded) -> Cleaner:
    """The cleaning rules, each knowing its pattern's ``file:line`` (a rule that times
    out on a line is reported there)."""
    rules = loaded.config.rules
    origins = {r.id: loaded.doc.where(("rules", i, "pattern")) for i, r in enumerate(rules)}
    return Cleaner(loaded.config, origins)
