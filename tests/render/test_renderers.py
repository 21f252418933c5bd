"""Renderer plugins: built-ins load without scanning entry points, others through them."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest

from briefgen.errors import ConfigError
from briefgen.render import BUILTINS, GROUP, Renderer, load_renderers
from tests.helpers import SEED, run_cli

PLUGIN = """
class TextRenderer:
    name = "txt"
    suffix = ".txt"

    def render(self, brief, options):
        return "\\n".join(i.fact.text for i in brief.items()).encode()


class NotARenderer:
    pass
"""

ENTRY_POINTS = """[briefgen.renderers]
txt = briefgen_txt_plugin:TextRenderer
broken = briefgen_txt_plugin:NotARenderer
md = briefgen_txt_plugin:TextRenderer
"""


@pytest.fixture
def plugin(tmp_path: Path) -> Iterator[None]:
    """An installed third-party package registering three renderers (one named md)."""
    (tmp_path / "briefgen_txt_plugin.py").write_text(PLUGIN)
    dist = tmp_path / "briefgen_txt_plugin-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: briefgen-txt\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(ENTRY_POINTS)
    sys.path.insert(0, str(tmp_path))
    yield
    sys.path.remove(str(tmp_path))
    sys.modules.pop("briefgen_txt_plugin", None)


def test_builtins_match_the_installed_entry_points() -> None:
    """pyproject.toml declares the same renderers (so listings and plugins agree)."""
    ours = entry_points(group=GROUP)
    assert {ep.name: ep.value for ep in ours if ep.value.startswith("briefgen.")} == BUILTINS


def test_builtins_load_without_scanning_installed_packages(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_scan(**_: object) -> None:
        raise AssertionError("entry points scanned for a built-in format")

    monkeypatch.setattr("importlib.metadata.entry_points", no_scan)
    loaded = load_renderers(["md", "html", "pdf", "json"])
    assert [r.suffix for r in loaded.values()] == [".md", ".html", ".pdf", ".json"]
    assert all(isinstance(r, Renderer) for r in loaded.values())


@pytest.mark.usefixtures("plugin")
def test_third_party_renderer_loads_and_cannot_replace_a_builtin() -> None:
    loaded = load_renderers(["txt", "md"])
    assert type(loaded["txt"]).__name__ == "TextRenderer"
    assert type(loaded["md"]).__module__ == "briefgen.render.markdown"


@pytest.mark.usefixtures("plugin")
def test_plugin_that_is_not_a_renderer_is_refused() -> None:
    with pytest.raises(ConfigError, match="renderer 'broken' does not implement Renderer"):
        load_renderers(["broken"])


@pytest.mark.usefixtures("plugin")
def test_unknown_format_lists_builtins_and_plugins() -> None:
    with pytest.raises(ConfigError) as err:
        load_renderers(["odt"])
    known = "broken, compare, docx, html, json, md, pdf, txt"
    assert str(err.value) == f"unknown format 'odt' (available: {known})"


@pytest.mark.usefixtures("plugin")
def test_plugin_renderer_writes_a_brief_from_the_cli(tmp_path: Path) -> None:
    result = run_cli("-a", "nato", "-f", "txt", "-o", str(tmp_path / "out"))
    assert result.code == 0, result.stderr
    text = (tmp_path / "out" / "china-belarus-exercises" / "nato.txt").read_text()
    assert "China" in text


def test_prepared_closes_every_renderer_even_when_one_close_fails() -> None:
    from briefgen.render import prepared

    calls: list[str] = []

    class Tracked:
        def __init__(self, name: str, fail: bool = False) -> None:
            self.name, self.fail = name, fail

        def prepare(self) -> None:
            calls.append(f"prepare {self.name}")

        def close(self) -> None:
            calls.append(f"close {self.name}")
            if self.fail:
                raise OSError("close failed")

    class Plain:  # no prepare/close at all
        name = "plain"

    with (
        pytest.raises(OSError, match="close failed"),
        prepared(
            [Tracked("a"), Plain(), Tracked("b", fail=True), Tracked("c")]  # type: ignore[list-item]
        ),
    ):
        calls.append("run")
    assert calls == ["prepare a", "prepare b", "prepare c", "run", "close c", "close b", "close a"]


def test_formats_of_one_brief_share_one_context_and_one_html_body(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """-f md,html,pdf builds the brief's figures once and the HTML body once (HTML and
    PDF reuse it), instead of once per format."""
    from briefgen.render import context, html

    calls = {"figures": 0, "body": 0}
    figures, body = context._figures, html.body_markdown

    def count_figures(*args: Any) -> Any:
        calls["figures"] += 1
        return figures(*args)

    def count_body(*args: Any) -> Any:
        calls["body"] += 1
        return body(*args)

    monkeypatch.setattr(context, "_figures", count_figures)
    monkeypatch.setattr(html, "body_markdown", count_body)
    out = tmp_path / "out"
    result = run_cli("-a", "nato", "-f", "md,html,pdf", "--no-cache", "-o", str(out), str(SEED))
    assert result.code == 0, result.stderr
    assert calls == {"figures": 1, "body": 1}
