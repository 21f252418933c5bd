"""Locating and loading the shared configs: user folders first, built-ins last."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from briefgen.config.loading import load_yaml, validate
from briefgen.errors import ConfigError
from briefgen.extract.aliases import AliasConfig, AliasTable
from briefgen.extract.classify import TaxonomyConfig
from briefgen.merge import PublisherTable, SourceTableConfig
from briefgen.resources import builtin_dir
from briefgen.select import GlossaryConfig
from briefgen.sources.clean import Cleaner, CleaningConfig

M = TypeVar("M", bound=BaseModel)


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


def _load(
    model: type[M], name: str, dirs: Sequence[Path], warnings: list[str], digest: Any = None
) -> M:
    path = find_config(name, dirs)
    obj, found = validate(model, load_yaml(path))
    warnings.extend(found)
    if digest is not None:
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return obj


def _cleaner(dirs: Sequence[Path], warnings: list[str], digest: Any) -> Cleaner:
    """The cleaning rules, each knowing its pattern's ``file:line`` (a rule that times
    out on a line is reported there)."""
    path = find_config("cleaning.yaml", dirs)
    doc = load_yaml(path)
    config, found = validate(CleaningConfig, doc)
    warnings.extend(found)
    digest.update(b"cleaning.yaml\0" + path.read_bytes() + b"\0")
    origins = {r.id: doc.where(("rules", i, "pattern")) for i, r in enumerate(config.rules)}
    return Cleaner(config, origins)


def load_shared(dirs: Sequence[Path]) -> SharedConfig:
    """Load and validate the shared configs from the search path."""
    warnings: list[str] = []
    digest = hashlib.sha256()
    return SharedConfig(
        cleaner=_cleaner(dirs, warnings, digest),
        aliases=AliasTable(_load(AliasConfig, "aliases.yaml", dirs, warnings, digest)),
        taxonomy=_load(TaxonomyConfig, "topics.yaml", dirs, warnings, digest),
        glossary=_load(GlossaryConfig, "glossary.yaml", dirs, warnings),
        # not in the fingerprint: publisher families shape briefs, not facts
        publishers=PublisherTable(_load(SourceTableConfig, "sources.yaml", dirs, warnings)),
        warnings=tuple(warnings),
        fingerprint=digest.hexdigest(),
    )
