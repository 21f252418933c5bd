"""Locating and loading the shared configs: user folders first, built-ins last."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from briefgen.aliases import AliasConfig, AliasTable
from briefgen.classify import TaxonomyConfig
from briefgen.clean import Cleaner, CleaningConfig
from briefgen.configfile import load_yaml, validate
from briefgen.errors import ConfigError
from briefgen.resources import builtin_dir
from briefgen.select import GlossaryConfig

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class SharedConfig:
    """The configs every audience shares: cleaning rules, aliases, topics, glossary."""

    cleaner: Cleaner
    aliases: AliasTable
    taxonomy: TaxonomyConfig
    glossary: GlossaryConfig
    warnings: tuple[str, ...]


def config_dirs(user_dirs: Sequence[Path]) -> tuple[Path, ...]:
    """The search path for configs: the user's folders, then the built-ins."""
    return (*user_dirs, builtin_dir("configs"))


def find_config(name: str, dirs: Sequence[Path]) -> Path:
    for folder in dirs:
        if (folder / name).is_file():
            return folder / name
    raise ConfigError(f"{name} not found in [{', '.join(map(str, dirs))}]")


def _load(model: type[M], name: str, dirs: Sequence[Path], warnings: list[str]) -> M:
    obj, found = validate(model, load_yaml(find_config(name, dirs)))
    warnings.extend(found)
    return obj


def load_shared(dirs: Sequence[Path]) -> SharedConfig:
    """Load and validate the shared configs from the search path."""
    warnings: list[str] = []
    return SharedConfig(
        cleaner=Cleaner(_load(CleaningConfig, "cleaning.yaml", dirs, warnings)),
        aliases=AliasTable(_load(AliasConfig, "aliases.yaml", dirs, warnings)),
        taxonomy=_load(TaxonomyConfig, "topics.yaml", dirs, warnings),
        glossary=_load(GlossaryConfig, "glossary.yaml", dirs, warnings),
        warnings=tuple(warnings),
    )
