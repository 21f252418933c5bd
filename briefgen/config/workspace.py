"""``briefgen.yaml`` in the working folder: the user's own template and config folders.

Folders named there are searched after those given on the command line and before
the built-ins; relative paths are taken from the file's own folder.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import Field

from briefgen.config.base import StrictModel
from briefgen.config.folders import folder_warning
from briefgen.config.loading import load_yaml, validate
from briefgen.errors import ConfigError, printable

PROJECT_FILE = "briefgen.yaml"


class ProjectConfig(StrictModel):
    """The keys of ``briefgen.yaml``."""

    templates: list[str] = Field(default_factory=list)
    """Template folders, searched before the built-ins."""
    configs: list[str] = Field(default_factory=list)
    """Config folders (``audiences/``, ``topics.yaml``, ...), searched before the built-ins."""


@dataclass(frozen=True, slots=True)
class Project:
    template_dirs: tuple[Path, ...] = ()
    config_dirs: tuple[Path, ...] = ()
    warnings: tuple[str, ...] = ()


def load_project(folder: Path, strict: bool = False) -> Project:
    """Read ``folder/briefgen.yaml`` if there is one.

    Raises:
        ConfigError: invalid file, or a folder it names that does not exist.
    """
    path = folder / PROJECT_FILE
    if not path.is_file():
        return Project()
    doc = load_yaml(path, label=PROJECT_FILE)
    config, warnings = validate(ProjectConfig, doc, strict=strict)
    templates = _folders(config.templates, path, "templates", doc.where)
    configs = _folders(config.configs, path, "configs", doc.where)
    for key, folders in (("templates", templates), ("configs", configs)):
        for index, folder in enumerate(folders):
            label = f"{doc.where((key, index))}: {key}[{index}]: {printable(str(folder))}"
            warnings.extend(filter(None, [folder_warning(key, folder, label)]))
    return Project(template_dirs=templates, config_dirs=configs, warnings=tuple(warnings))


def _folders(names: list[str], path: Path, key: str, where: object) -> tuple[Path, ...]:
    out = []
    for index, name in enumerate(names):
        folder = (path.parent / name).resolve() if not Path(name).is_absolute() else Path(name)
        if not folder.is_dir():
            at = where((key, index)) if callable(where) else PROJECT_FILE
            raise ConfigError(f"{at}: {key}[{index}]: folder '{name}' does not exist")
        out.append(folder)
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Folders:
    """The user's template and config folders in search order (built-ins not included)."""

    template_dirs: tuple[Path, ...]
    config_dirs: tuple[Path, ...]
    warnings: tuple[str, ...] = ()


def search_folders(
    template_dirs: Sequence[Path],
    config_dirs: Sequence[Path],
    workspace: Path | None,
    strict: bool = False,
) -> Folders:
    """Folders given directly, then those named in ``workspace/briefgen.yaml``.

    The library resolves the workspace file itself, so a Python caller of
    :func:`briefgen.pipeline.build` and the command line get the same folders.

    Raises:
        ConfigError: invalid ``briefgen.yaml``, or a folder it names that does not exist.
    """
    project = load_project(workspace, strict) if workspace is not None else Project()
    given = [
        folder_warning(key, Path(folder), f"--{key} {printable(str(folder))}")
        for key, folders in (("templates", template_dirs), ("configs", config_dirs))
        for folder in folders
        if Path(folder).is_dir()  # a missing one is an error of its own
    ]
    return Folders(
        template_dirs=(*template_dirs, *project.template_dirs),
        config_dirs=(*config_dirs, *project.config_dirs),
        warnings=(*filter(None, given), *project.warnings),
    )
