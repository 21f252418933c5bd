"""The wheel carries the built-in templates, configs and seed (non-editable installs)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from tests.helpers import ROOT


def test_wheel_contains_templates_configs_and_seeds(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    wheel = next(tmp_path.glob("briefgen-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("templates", "configs", "seeds"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file():
                rel = path.relative_to(ROOT).as_posix()
                assert f"briefgen/_data/{rel}" in names, rel
    assert "briefgen/py.typed" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "[briefgen.renderers]" in text and "briefgen = briefgen.cli:run" in text


def test_architecture_page_names_every_module_and_only_real_ones() -> None:
    """docs/architecture.md matches the code: each module is named, each name exists."""
    import re

    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    package = ROOT / "briefgen"
    modules = {
        p.relative_to(package).as_posix()
        for p in package.rglob("*.py")
        if p.name != "__init__.py" and "_data" not in p.parts
    }
    packages = {
        p.parent.relative_to(package).as_posix() + "/" for p in package.rglob("__init__.py")
    }
    named = {
        n.removeprefix("briefgen/") for n in re.findall(r"`([a-z_]+(?:/[a-z_]+)*(?:\.py|/))`", page)
    }
    for module in modules:
        short = module.rsplit("/", 1)[-1]
        assert module in named or short in named, f"{module} is not on the architecture page"
    for name in named:
        if name == "__init__.py" or (ROOT / name).exists():
            continue  # a file or folder of the repository (tests/, configs/...)
        if name.endswith(".py"):
            assert any(m == name or m.endswith("/" + name) for m in modules), name
        else:
            assert name in packages or (ROOT / name).is_dir(), name
