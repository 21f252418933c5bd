"""``briefgen --check``: what this installation has, and what it is missing.

The most reported failures of report generators like this one are a missing
language model and WeasyPrint's native libraries (Pango). Each check here says
what was found (name, version, path) or what to install, without loading the
model or laying out a page, so the command answers in about a second.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from briefgen.errors import BriefgenError, printable


@dataclass(frozen=True, slots=True)
class Finding:
    """One line of the report: what was checked, whether it is usable, and the detail."""

    what: str
    ok: bool
    detail: str
    needed: bool = True
    """Whether briefgen cannot work as documented without it (the exit status)."""

    def line(self) -> str:
        status = "ok" if self.ok else ("MISSING" if self.needed else "note")
        return printable(f"{status:8}{self.what:16}{self.detail}")


@dataclass(frozen=True, slots=True)
class CheckRequest:
    template_dirs: tuple[Path, ...]
    config_dirs: tuple[Path, ...]
    workspace: Path | None
    cache_dir: Path | None
    """None: ``--no-cache``."""


def run_checks(request: CheckRequest) -> list[Finding]:
    """Every check, in the order a run needs them."""
    checks: list[Callable[[], list[Finding]]] = [
        spacy_model,
        weasyprint_and_pango,
        fonts,
        python_docx,
        html_reader,
        lambda: cache_folder(request.cache_dir),
        lambda: folders(request),
    ]
    return [finding for check in checks for finding in check()]


def report(findings: Sequence[Finding]) -> str:
    """The findings, one per line."""
    return "".join(f"{f.line()}\n" for f in findings)


def missing(findings: Sequence[Finding]) -> BriefgenError | None:
    """The error to end ``--check`` with when something needed is missing."""
    lacking = [f.what for f in findings if f.needed and not f.ok]
    if not lacking:
        return None
    return BriefgenError(f"--check: missing: {', '.join(lacking)} (see above)")


# --- the checks ------------------------------------------------------------------------


def spacy_model() -> list[Finding]:
    """The first installed model of the configured names, found without loading it."""
    from briefgen.extract.spacy_model import INSTALL_HINT, model_names

    names = model_names()
    for name in names:
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            continue
        path = Path(next(iter(spec.submodule_search_locations)))
        meta = _model_meta(path)
        version = meta.get("version", "?")
        spacy = _version("spacy") or "not installed"
        wants = meta.get("spacy_version", "")
        wanted = f", model wants {wants}" if wants else ""
        detail = f"{name} {version} at {path} (spaCy {spacy}{wanted})"
        return [Finding("spaCy model", True, detail)]
    return [Finding("spaCy model", False, f"none of {', '.join(names)}: {INSTALL_HINT}")]


def _model_meta(path: Path) -> dict[str, str]:
    try:
        data = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: str(v) for k, v in data.items() if k in ("version", "spacy_version")}


def _version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def weasyprint_and_pango() -> list[Finding]:
    from briefgen.render.pdf import import_weasyprint

    try:
        weasyprint = import_weasyprint()
    except BriefgenError as exc:
        return [Finding("WeasyPrint", False, f"no PDF: {exc.format_message()}")]
    from weasyprint.text.ffi import pango

    number = int(pango.pango_version())  # 15012 is 1.50.12
    pango_version = f"{number // 10000}.{number // 100 % 100}.{number % 100}"
    return [Finding("WeasyPrint", True, f"{weasyprint.__version__}, Pango {pango_version}")]


def fonts() -> list[Finding]:
    """The fonts the stylesheet asks for: DejaVu Sans (Latin, Greek, Cyrillic), and a
    CJK font for Chinese, Japanese and Korean names (optional)."""
    if shutil.which("fc-list") is None:
        detail = "cannot tell: fc-list not found (apt-get install fontconfig)"
        return [Finding("fonts", False, detail, needed=False)]
    latin = _families("DejaVu Sans:lang=ru")
    cjk = _families(":lang=zh")
    return [
        Finding(
            "fonts (Latin)",
            bool(latin),
            f"Latin, Greek, Cyrillic: {latin[0]}" if latin
            else "DejaVu Sans not found: apt-get install fonts-dejavu-core",
        ),
        Finding(
            "fonts (CJK)",
            bool(cjk),
            f"Chinese, Japanese, Korean: {cjk[0]}" if cjk
            else "none: CJK names print as empty boxes in PDFs (apt-get install fonts-noto-cjk)",
            needed=False,
        ),
    ]  # fmt: skip


def _families(pattern: str) -> list[str]:
    try:
        out = subprocess.run(
            ["fc-list", pattern, "family"], capture_output=True, text=True, timeout=30
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return sorted({line.split(",")[0].strip() for line in out.splitlines() if line.strip()})


def python_docx() -> list[Finding]:
    version = _version("python-docx")
    if version is None or importlib.util.find_spec("docx") is None:
        detail = "not installed, so no DOCX: pip install python-docx"
        return [Finding("python-docx", False, detail)]
    return [Finding("python-docx", True, version)]


def html_reader() -> list[Finding]:
    """trafilatura imported whole: a fresh install once lacked lxml_html_clean, which
    only the import shows."""
    from briefgen.sources.html import import_trafilatura

    try:
        trafilatura = import_trafilatura()
    except BriefgenError as exc:
        return [Finding("HTML reader", False, f"no HTML sources: {exc.format_message()}")]
    return [Finding("HTML reader", True, f"trafilatura {trafilatura.__version__}")]


def cache_folder(cache_dir: Path | None) -> list[Finding]:
    from briefgen.files import folder_problem

    if cache_dir is None:
        return [Finding("cache", True, "not used (--no-cache)", needed=False)]
    problem = folder_problem(cache_dir, below=cache_dir)
    if problem is None:
        state = "used" if cache_dir.is_dir() else "used (created on first run)"
        return [Finding("cache", True, f"{state}: {cache_dir}", needed=False)]
    return [Finding("cache", False, f"not used: {problem}", needed=False)]


def folders(request: CheckRequest) -> list[Finding]:
    """The template and config folders in effect, in search order, and whether the
    configs and profiles they hold are valid."""
    from briefgen.config.shared import config_dirs, load_shared
    from briefgen.config.workspace import search_folders
    from briefgen.errors import ConfigError
    from briefgen.pipeline import resolve_audiences
    from briefgen.resources import builtin_dir

    try:
        found = search_folders(request.template_dirs, request.config_dirs, request.workspace)
    except ConfigError as exc:
        return [Finding("folders", False, exc.format_message())]
    templates = [*map(str, found.template_dirs), f"{builtin_dir('templates')} (built-in)"]
    configs = [*map(str, found.config_dirs), f"{builtin_dir('configs')} (built-in)"]
    out = [
        Finding("templates", True, " > ".join(templates)),
        Finding("configs", True, " > ".join(configs)),
        *(Finding("folder", False, w, needed=False) for w in found.warnings),
    ]
    try:
        dirs = config_dirs(found.config_dirs)
        load_shared(dirs)
        profiles = resolve_audiences(["all"], dirs, strict=False)
    except ConfigError as exc:
        return [*out, Finding("profiles", False, exc.format_message().splitlines()[0])]
    return [*out, Finding("profiles", True, ", ".join(p.config.id for p in profiles))]
