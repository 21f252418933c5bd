"""Where the built-in templates, configs and seeds live.

An installed wheel carries them in ``briefgen/_data/``; a source checkout (or an
editable install) has them at the top of the repository, where users see them.
"""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def builtin_dir(name: str) -> Path:
    """Return the built-in folder ``name`` (``templates``, ``configs`` or ``seeds``).

    Raises:
        FileNotFoundError: neither the wheel nor the checkout layout has it.
    """
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"built-in folder '{name}' not found next to {_PACKAGE}")


def bundled_seeds() -> list[Path]:
    """The example articles used when no source is given, in name order."""
    seeds = builtin_dir("seeds")
    return sorted(p for p in seeds.iterdir() if p.suffix in {".txt", ".md"})


def shown_path(path: str) -> str:
    """``path`` as a brief shows it: a bundled seed as ``seeds/NAME``, not the
    install's own path (``…/site-packages/briefgen/_data/seeds/…``), which told every
    reader of the brief where briefgen was installed and made the bytes differ from
    one install to the next; any other path as given."""
    if path == "-":
        return path
    candidate = Path(path)
    with suppress(OSError, FileNotFoundError):
        if candidate.resolve().parent == builtin_dir("seeds").resolve():
            return f"seeds/{candidate.name}"
    return path
