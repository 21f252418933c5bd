"""What each command imports, and the extraction cache (speed rules checked without timing)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from briefgen.cache import ExtractionCache
from briefgen.pipeline import extract
from briefgen.settings import config_dirs, load_shared
from tests.helpers import SEED, write_article

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
    first, _ = extract([str(SEED)], shared, (), print, cache_dir=tmp_path)
    assert len(list(tmp_path.glob("*.json"))) == 1
    second, _ = extract([str(SEED)], shared, (), print, cache_dir=tmp_path)
    assert second[0].facts == first[0].facts


def test_cache_key_changes_with_text_and_config(tmp_path: Path) -> None:
    shared = load_shared(config_dirs(()))
    a = write_article(tmp_path, "a.txt", "The bridge reopened on Friday.\n")
    doc, _ = extract([str(a)], shared, (), print, cache_dir=tmp_path / "c")
    cache = ExtractionCache(tmp_path / "c", "m", shared.fingerprint)
    other = ExtractionCache(tmp_path / "c", "m", "another-config")
    assert cache.key(doc[0].document) != other.key(doc[0].document)
    a.write_text("The bridge reopened on Saturday.\n")
    again, _ = extract([str(a)], shared, (), print, cache_dir=tmp_path / "c")
    assert again[0].facts[0].text == "The bridge reopened on Saturday."


def test_corrupt_cache_entry_is_a_miss(tmp_path: Path) -> None:
    shared = load_shared(config_dirs(()))
    first, _ = extract([str(SEED)], shared, (), print, cache_dir=tmp_path)
    entry = next(tmp_path.glob("*.json"))
    entry.write_text("{not json")
    second, _ = extract([str(SEED)], shared, (), print, cache_dir=tmp_path)
    assert second[0].facts == first[0].facts


def test_jobs_give_the_same_facts_in_source_order(tmp_path: Path) -> None:
    shared = load_shared(config_dirs(()))
    # lengths that differ and do not follow source order: workers take longest first
    sizes = {2: 1, 3: 4, 4: 2, 5: 5, 6: 3}
    text = "Officials said {} trucks crossed on Monday.\n\n"
    paths = [
        str(write_article(tmp_path, f"s{i}.txt", text.format(i) * n)) for i, n in sizes.items()
    ]
    one, _ = extract(paths, shared, (), print, jobs=1)
    two, _ = extract(paths, shared, (), print, jobs=2)
    assert [e.facts for e in two] == [e.facts for e in one]
    assert [e.document.source.id for e in two] == ["s2", "s3", "s4", "s5", "s6"]


def test_cache_key_covers_the_code_that_makes_facts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import briefgen.cache as cache_module

    shared = load_shared(config_dirs(()))
    docs, _ = extract([str(SEED)], shared, (), print)
    before = ExtractionCache(tmp_path, "m", shared.fingerprint).key(docs[0].document)
    monkeypatch.setattr(cache_module, "_code_fingerprint", lambda: "edited classify.py")
    after = ExtractionCache(tmp_path, "m", shared.fingerprint).key(docs[0].document)
    assert before != after
