"""A template or config folder that holds none of the files briefgen looks for.

``--templates mybrief`` (the export folder itself, which holds ``templates/`` and
``configs/``) was accepted and did nothing: every template still came from the
built-ins. Such a folder is now a warning that names the subfolder meant.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

TEMPLATE_FILES = "*.j2 or *.css, or <audience>/*.j2"
CONFIG_FILES = "audiences/*.yaml, topics.yaml, aliases.yaml, ..."


AUDIENCE_TEMPLATES = ("brief.md.j2", "brief.html.j2", "brief.css")


def holds_templates(folder: Path) -> bool:
    """Whether ``folder`` holds a template where briefgen looks: at its top, or an
    audience's own (``nato/brief.md.j2``).

    A subfolder holding ``base.md.j2`` is a template folder of its own (an export's
    ``templates/``), not an audience's: its parent is the mistake this catches.
    """
    if _any(folder, "*.j2") or _any(folder, "*.css"):
        return True
    return any(
        not (sub / "base.md.j2").is_file()
        and any((sub / name).is_file() for name in AUDIENCE_TEMPLATES)
        for sub in _subfolders(folder)
    )


def holds_configs(folder: Path) -> bool:
    """Whether ``folder`` holds a profile (``audiences/*.yaml``) or a shared config."""
    from briefgen.config.shared import SHARED_FILES

    if _any(folder, "audiences/*.y*ml"):
        return True
    return any((folder / spec.name).is_file() for spec in SHARED_FILES)


def _any(folder: Path, pattern: str) -> bool:
    try:
        return any(path.is_file() for path in folder.glob(pattern))
    except OSError:  # unreadable: the load that follows says so
        return False


def folder_warning(kind: str, folder: Path, label: str) -> str | None:
    """A warning when ``folder``, given as a ``kind`` folder (``templates`` or
    ``configs``) by ``label`` (``--templates DIR``, ``briefgen.yaml:3: templates[0]``),
    holds nothing briefgen reads there; None when it does."""
    holds: Callable[[Path], bool] = holds_templates if kind == "templates" else holds_configs
    if holds(folder):
        return None
    other = "configs" if kind == "templates" else "templates"
    looked = TEMPLATE_FILES if kind == "templates" else CONFIG_FILES
    message = f"{label}: holds none of the files briefgen looks for there ({looked})"
    sub = _subfolder(folder, holds)
    if sub is not None:
        return f"{message}; did you mean `{sub}`?"
    other_holds = holds_configs if kind == "templates" else holds_templates
    if other_holds(folder):
        return f"{message}; it holds {other}: give it to --{other}"
    return message


def _subfolders(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
    except OSError:
        return []


def _subfolder(folder: Path, holds: Callable[[Path], bool]) -> Path | None:
    return next((sub for sub in _subfolders(folder) if holds(sub)), None)
