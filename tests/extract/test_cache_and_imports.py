"""What each command imports, and the extraction cache (speed rules checked without timing)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from briefgen.config.shared import config_dirs, load_shared
from briefgen.extract.cache import ExtractionCache
from briefgen.sources import read_source
from tests.helpers import SEED, extract_paths, run_cli, without_closing_line, write_article

PROBE = """
import json, sys
from briefgen.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
mods = ("spacy", "weasyprint", "dateparser")
print(json.dumps({m: m in sys.modules for m in mods}), file=sys.stderr)
"""


def _imports(args: list[str], cwd: Path, cache: Path) -> dict[str, bool]:
    env = {"XDG_CACHE_HOME": str(cache), "PATH": "/usr/bin:/bin", "SOURCE_DATE_EPOCH": "0"}
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *args], cwd=cwd, capture_output=True, timeout=300, env=env
    )
    last = proc.stderr.decode().strip().splitlines()[-1]
    result: dict[str, bool] = json.loads(last)
    return result


@pytest.mark.parametrize("args", [["--help"], ["--list-audiences"], ["--version"]])
def test_light_commands_import_neither_spacy_nor_weasyprint(
    tmp_path: Path, args: list[str]
) -> None:
    assert _imports(args, tmp_path, tmp_path / "cache") == {
        "spacy": False,
        "weasyprint": False,
        "dateparser": False,
    }


def test_markdown_only_never_imports_weasyprint_and_a_cache_hit_skips_spacy(tmp_path: Path) -> None:
    args = ["-a", "nato", "-f", "md", "-o", str(tmp_path / "out")]
    cold = _imports(args, tmp_path, tmp_path / "cache")
    # the seed's dates all resolve by rule, so dateparser is never even imported
    assert cold == {"spacy": True, "weasyprint": False, "dateparser": False}
    warm = _imports(args, tmp_path, tmp_path / "cache")
    assert warm == {"spacy": False, "weasyprint": False, "dateparser": False}


def test_cache_round_trip_gives_identical_facts(tmp_path: Path) -> None:
    shared = load_shared(config_dirs(()))
    first, _ = extract_paths([str(SEED)], shared, cache_dir=tmp_path)
    assert len(list(tmp_path.glob("*.json"))) == 1
    second, _ = extract_paths([str(SEED)], shared, cache_dir=tmp_path)
    assert second[0].facts == first[0].facts


def test_cache_key_changes_with_text_and_config(tmp_path: Path) -> None:
    shared = load_shared(config_dirs(()))
    a = write_article(tmp_path, "a.txt", "The bridge reopened on Friday.\n")
    doc, _ = extract_paths([str(a)], shared, cache_dir=tmp_path / "c")
    cache = ExtractionCache(tmp_path / "c", "m", shared.fingerprint)
    other = ExtractionCache(tmp_path / "c", "m", "another-config")
    assert cache.key(doc[0].document) != other.key(doc[0].document)
    a.write_text("The bridge reopened on Saturday.\n")
    again, _ = extract_paths([str(a)], shared, cache_dir=tmp_path / "c")
    assert again[0].facts[0].text == "The bridge reopened on Saturday."


def test_pages_with_one_text_and_two_dates_do_not_share_an_entry(tmp_path: Path) -> None:
    # an HTML page's date is metadata, not part of the text the facts index
    shared = load_shared(config_dirs(()))
    page = (
        '<html><head><meta property="article:published_time" content="{}"></head><body>'
        "<article><p>The bridge over the river reopened to traffic yesterday after repairs."
        "</p></article></body></html>"
    )
    folder = tmp_path / "c"
    for day, expected in (("2024-03-14", "2024-03-13"), ("2024-05-02", "2024-05-01")):
        path = tmp_path / f"{day}" / "page.html"
        path.parent.mkdir()
        path.write_text(page.format(day), encoding="utf-8")
        found, _ = extract_paths([str(path)], shared, cache_dir=folder)
        assert [t.date for t in found[0].facts[0].times] == [expected]


def test_corrupt_cache_entry_is_a_miss(tmp_path: Path) -> None:
    shared = load_shared(config_dirs(()))
    first, _ = extract_paths([str(SEED)], shared, cache_dir=tmp_path)
    entry = next(tmp_path.glob("*.json"))
    entry.write_text("{not json")
    second, _ = extract_paths([str(SEED)], shared, cache_dir=tmp_path)
    assert second[0].facts == first[0].facts


def test_jobs_give_the_same_facts_in_source_order(tmp_path: Path) -> None:
    shared = load_shared(config_dirs(()))
    # lengths that differ and do not follow source order: workers take longest first
    sizes = {2: 1, 3: 4, 4: 2, 5: 5, 6: 3}
    text = "Officials said {} trucks crossed on Monday.\n\n"
    paths = [
        str(write_article(tmp_path, f"s{i}.txt", text.format(i) * n)) for i, n in sizes.items()
    ]
    one, _ = extract_paths(paths, shared, jobs=1)
    two, _ = extract_paths(paths, shared, jobs=2)
    assert [e.facts for e in two] == [e.facts for e in one]
    assert [e.document.source.id for e in two] == ["s2", "s3", "s4", "s5", "s6"]


def test_cache_key_covers_the_code_that_makes_facts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import briefgen.extract.cache as cache_module

    shared = load_shared(config_dirs(()))
    docs, _ = extract_paths([str(SEED)], shared)
    before = ExtractionCache(tmp_path, "m", shared.fingerprint).key(docs[0].document)
    monkeypatch.setattr(cache_module, "_code_fingerprint", lambda: "edited classify.py")
    after = ExtractionCache(tmp_path, "m", shared.fingerprint).key(docs[0].document)
    assert before != after


def test_cache_key_covers_the_spacy_and_model_versions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found from spaCy's about.py and the model's meta.json, without importing either."""
    import briefgen.extract.cache as cache_module
    from briefgen.extract.spacy_model import model_names, resolve_model

    model = resolve_model(model_names())
    assert cache_module._package_stamp("spacy", "about.py") != "unknown"
    assert cache_module._package_stamp(model, "meta.json") != "unknown"
    assert cache_module._package_stamp("no_such_package_here", "meta.json") == "unknown"
    shared = load_shared(config_dirs(()))
    docs, _ = extract_paths([str(SEED)], shared)
    before = ExtractionCache(tmp_path, model, shared.fingerprint).key(docs[0].document)
    real = cache_module._package_stamp
    monkeypatch.setattr(
        cache_module,
        "_package_stamp",
        lambda package, name: "spaCy 9" if package == "spacy" else real(package, name),
    )
    after = ExtractionCache(tmp_path, model, shared.fingerprint).key(docs[0].document)
    assert before != after


def _compiled(cache: Path) -> list[Path]:
    return sorted((cache / "briefgen" / "templates").rglob("*.cache"))


@pytest.fixture
def mine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty user template folder; the cache goes to tmp_path/cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = tmp_path / "mine"
    folder.mkdir()
    return folder


def test_compiled_templates_are_cached_and_an_edited_template_recompiled(
    tmp_path: Path, mine: Path
) -> None:
    (mine / "brief.md.j2").write_text("first {{ brief.audience }}\n")
    args = ["-a", "nato", "-f", "md,html", "--templates", str(mine), "-o", str(tmp_path / "o")]
    assert run_cli(*args).code == 0
    compiled = _compiled(tmp_path / "cache")
    folders = {p.parent.name.split("-")[0] for p in compiled}
    assert folders == {"md", "html"} and len(compiled) >= 4
    brief = tmp_path / "o" / "china-belarus-exercises" / "nato.md"
    assert brief.read_text() == "first nato\n"
    (mine / "brief.md.j2").write_text("second {{ brief.audience }}\n")
    assert run_cli(*args).code == 0
    assert brief.read_text() == "second nato\n"


def test_a_damaged_or_unwritable_template_cache_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefgen.render.templates import _environment

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    args = ["-a", "nato", "-f", "md", "-o", str(tmp_path / "o")]
    assert run_cli(*args).code == 0
    expected = (tmp_path / "o" / "china-belarus-exercises" / "nato.md").read_bytes()
    for entry in _compiled(tmp_path / "cache"):
        entry.write_bytes(entry.read_bytes()[:40])  # truncated mid-way
    _environment.cache_clear()  # a new run: nothing compiled in memory
    assert run_cli(*args, "-o", str(tmp_path / "o2")).code == 0
    assert (tmp_path / "o2" / "china-belarus-exercises" / "nato.md").read_bytes() == expected
    # a cache folder that cannot be created: briefs are still written
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "file"))
    (tmp_path / "file").write_text("not a folder")
    _environment.cache_clear()
    result = run_cli(*args, "-o", str(tmp_path / "o3"))
    assert result.code == 0, result.stderr
    assert (tmp_path / "o3" / "china-belarus-exercises" / "nato.md").read_bytes() == expected


def test_no_cache_writes_no_compiled_templates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert run_cli("-a", "nato", "-f", "md", "--no-cache", "-o", str(tmp_path / "o")).code == 0
    assert not (tmp_path / "cache").exists()


def test_a_template_added_between_runs_in_one_process_is_used(mine: Path) -> None:
    args = ["-a", "nato", "-f", "md", "--templates", str(mine), "-o", "-"]
    assert run_cli(*args).stdout.startswith("**NATO UNCLASSIFIED**")
    (mine / "nato").mkdir()
    (mine / "nato" / "brief.md.j2").write_text("mine {{ brief.audience }}\n")
    assert run_cli(*args).stdout == "mine nato\n"


def test_compiled_templates_only_in_a_folder_nobody_else_can_write(tmp_path: Path) -> None:
    from briefgen.render.templates import private_folder, template_cache

    root = tmp_path / "cache" / "briefgen"
    assert template_cache(root, "md") is not None
    (folder,) = (root / "templates").iterdir()
    assert folder.stat().st_mode & 0o777 == 0o700
    root.chmod(0o777)  # another user could swap the compiled files
    assert template_cache(root, "md") is None
    root.chmod(0o755)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    linked = tmp_path / "linked"
    linked.mkdir()
    (linked / "templates").symlink_to(elsewhere, target_is_directory=True)
    assert not private_folder(linked / "templates" / "md-x", below=linked)
    shared = tmp_path / "shared"  # $XDG_CACHE_HOME in a folder anyone may rename in
    shared.mkdir()
    shared.chmod(0o777)
    assert not private_folder(shared / "briefgen" / "templates", below=shared / "briefgen")
    shared.chmod(0o1777)  # ... unless it is sticky, like /tmp
    assert private_folder(shared / "briefgen" / "templates", below=shared / "briefgen")


def test_an_edited_cache_entry_never_reaches_a_brief(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cached fact must still be the source text at its offsets, or the entry is a miss."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    args = ["-a", "nato", "-f", "md", "-o", "-"]
    honest = run_cli(*args).stdout
    (entry,) = (tmp_path / "cache" / "briefgen").glob("*.json")
    data = json.loads(entry.read_text())
    invented = "NATO declared war at dawn, officials confirmed."
    for fact in data:
        fact["text"] = invented
    entry.write_text(json.dumps(data))
    result = run_cli(*args)
    assert invented not in result.stdout
    assert result.stdout == honest


def _spoil(field: str, value: object) -> Callable[[list[dict[str, Any]]], object]:
    def edit(facts: list[dict[str, Any]]) -> object:
        facts[0][field] = value
        return facts

    return edit


@pytest.mark.parametrize(
    "edit",
    [
        _spoil("start", "0"),  # wrong types: these crashed every later run
        _spoil("salience", None),
        _spoil("topics", [{"topic": "military", "score": "high"}]),
        _spoil("kind", "bogus"),  # right type, impossible value: these were rendered
        _spoil("paragraph", -5),
        _spoil("salience", float("inf")),
        lambda facts: {"facts": facts},  # another shape
        lambda facts: [],  # no facts for a document that has them: an empty brief
    ],
    ids=[
        "str-offset",
        "null-salience",
        "str-score",
        "bogus-kind",
        "negative-paragraph",
        "infinite",
        "wrapped",
        "empty",
    ],
)
def test_an_invalid_cache_entry_is_a_miss(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit: Callable[[Any], object]
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    args = ["-a", "nato", "-f", "md", "-o", "-"]
    honest = run_cli(*args).stdout
    (entry,) = (tmp_path / "cache" / "briefgen").glob("*.json")
    entry.write_text(json.dumps(edit(json.loads(entry.read_text()))))
    result = run_cli(*args)
    assert (result.code, without_closing_line(result.stderr)) == (0, "")
    assert result.stdout == honest


def test_an_oversized_cache_entry_is_not_read_whole(tmp_path: Path) -> None:
    from briefgen.extract.cache import ExtractionCache, entry_limit

    document = read_source(str(SEED))
    cache = ExtractionCache(tmp_path, "model", "")
    path = tmp_path / f"{cache.key(document)}.json"
    path.write_bytes(b"[" + b" " * (entry_limit(document) + 10) + b"]")
    assert cache.get(document) is None


def test_a_cache_folder_others_can_write_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = tmp_path / "cache" / "briefgen"
    assert run_cli("-a", "nato", "-f", "md", "-o", str(tmp_path / "o")).code == 0
    entries = sorted(folder.rglob("*"))
    folder.chmod(0o777)
    result = run_cli("-a", "nato", "-f", "md", "-o", str(tmp_path / "o2"))
    assert result.code == 0
    assert without_closing_line(result.stderr) == (
        f"briefgen: warning: {folder}: others can write to it; not used as a cache\n"
    )
    assert sorted(folder.rglob("*")) == entries  # nothing added
