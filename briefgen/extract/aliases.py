"""Canonical actor names from the alias table (``configs/aliases.yaml``)."""

from __future__ import annotations

import re

from briefgen.config.base import StrictModel

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'"})
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
# spaCy sometimes swallows half of an "(SCO)" that follows a name
_DANGLING_PAREN = re.compile(r"\s*\([^)]*$")


class AliasConfig(StrictModel):
    """The alias table: canonical name -> other spellings."""

    aliases: dict[str, list[str]]


def normalize_name(text: str) -> str:
    """Straight apostrophes, single spaces, no leading "the", no dangling "(ABC"."""
    text = " ".join(text.translate(_APOSTROPHES).split())
    text = _DANGLING_PAREN.sub("", text)
    return _LEADING_THE.sub("", text).strip(" ,.;:")


class AliasTable:
    """Lookup from any spelling to the canonical name.  __init__ builds the index."""

    def __init__(self, config: AliasConfig) -> None:
        self._names = tuple(config.aliases)
        self._index: dict[str, str] = {}
        for canonical, others in config.aliases.items():
            for name in (canonical, *others):
                self._index[normalize_name(name).casefold()] = canonical

    def names(self) -> tuple[str, ...]:
        """The canonical names, as the table lists them."""
        return self._names

    def canonical(self, text: str) -> str:
        """The canonical name of ``text``, or its normalised form when it has no alias."""
        name = normalize_name(text)
        return self._index.get(name.casefold(), name)
