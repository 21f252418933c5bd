"""briefgen: traceable news briefings for different audiences.

The Python API (see the README): :class:`Briefgen` reads sources, makes briefs
and renders them; :func:`build` runs a whole job as the command line does.
Names are imported on first use, so ``import briefgen`` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Brief", "Briefgen", "BuildRequest", "Extraction", "build"]

if TYPE_CHECKING:
    from briefgen.api import Briefgen
    from briefgen.pipeline import BuildRequest, build
    from briefgen.records import Brief, Extraction

_EXPORTS = {
    "Briefgen": "briefgen.api",
    "BuildRequest": "briefgen.pipeline",
    "build": "briefgen.pipeline",
    "Brief": "briefgen.records",
    "Extraction": "briefgen.records",
}


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        from importlib import import_module

        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'briefgen' has no attribute {name!r}")
