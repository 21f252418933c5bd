"""Checks of a valid profile against the shared configs: names that never match.

A profile is valid on its own, but a topic id the taxonomy lacks or an actor name
no fact will ever carry is weighed in vain; each is a warning naming the file and
line, with the closest known name.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from briefgen.config.loading import KeyPath, format_key
from briefgen.config.profiles import LoadedProfile, unknown_topics
from briefgen.config.shared import SharedConfig
from briefgen.errors import printable
from briefgen.extract.aliases import AliasTable


def profile_warnings(loaded: LoadedProfile, shared: SharedConfig) -> list[str]:
    """Unknown topics and unknown entity names of ``loaded``."""
    topics = list(shared.taxonomy.topics)
    known = [
        *shared.aliases.names(),
        *(e for t in shared.taxonomy.topics.values() for e in t.entities),
    ]
    return [
        *unknown_topics(loaded.config, topics, loaded.doc),
        *unknown_entities(loaded, shared.aliases, known),
    ]


def unknown_entities(loaded: LoadedProfile, aliases: AliasTable, known: Iterable[str]) -> list[str]:
    """Warnings for ``entity_weights`` names that no fact will carry.

    A fact carries canonical names (``configs/aliases.yaml``), so a weight on another
    spelling of a listed name (``PLA``) never applies: that is named with its
    canonical form. A name the tables do not list may still be an actor spaCy finds
    as written, so it is a warning only when it is close to a known name (``Chna``).
    """
    names = sorted(set(known))
    out = []
    for name in loaded.config.entity_weights:
        canonical = aliases.canonical(name)
        if name in names:
            continue
        if canonical != name and canonical in names:
            why = f"facts carry the canonical name (did you mean `{canonical}`?)"
        else:
            match = difflib.get_close_matches(name, names, n=1, cutoff=0.75)
            if not match:
                continue
            why = f"not a name in aliases.yaml or topics.yaml (did you mean `{match[0]}`?)"
        key: KeyPath = ("entity_weights", name)
        where = loaded.doc.where(key) if loaded.doc is not None else f"profile {loaded.config.id}"
        out.append(printable(f"{where}: {format_key(key)}: unknown entity '{name}': {why}"))
    return out
