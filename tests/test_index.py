"""OUT/index.json and OUT/index.html: every brief in the folder, earlier runs' too,
correct after an interrupted run, and article text kept as text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from briefgen.index import listed_files
from tests.helpers import (
    article,
    brief_files,
    interrupt_once,
    run_cli,
    sources,
    write_article,
)


def _index(out: Path) -> list[dict[str, Any]]:
    briefs: list[dict[str, Any]] = json.loads((out / "index.json").read_text())["briefs"]
    return briefs


def test_the_index_lists_every_brief_written(tmp_path: Path) -> None:
    paths = sources(tmp_path, 2)
    out = tmp_path / "out"
    result = run_cli("-a", "nato,eu", "-f", "md,json", "-o", str(out), *paths)
    assert result.code == 0, result.stderr
    entries = _index(out)
    assert [(e["folder"], e["audience"], e["kind"]) for e in entries] == [
        ("a0", "eu", "source"), ("a0", "nato", "source"),
        ("a1", "eu", "source"), ("a1", "nato", "source"),
    ]  # fmt: skip
    first = entries[1]
    assert first["sources"] == [paths[0]] and first["formats"] == ["md", "json"]
    assert first["links"] == {"md": "a0/nato.md", "json": "a0/nato.json"}
    assert first["title"] == json.loads((out / "a0" / "nato.json").read_text())["title"]
    assert isinstance(first["relevance"], float) and first["relevant"] is True
    assert sorted(listed_files(out)) == brief_files(out)
    page = (out / "index.html").read_text()
    for entry in entries:
        for link in entry["links"].values():
            assert f'href="{link}"' in page


def test_a_story_is_one_entry_per_audience(tmp_path: Path) -> None:
    (tmp_path / "desk").mkdir()
    sources(tmp_path / "desk", 2)
    out = tmp_path / "out"
    args = ["--merge", "-a", "nato", "-f", "md,compare", "-o", str(out), str(tmp_path / "desk")]
    assert run_cli(*args).code == 0
    (entry,) = _index(out)
    assert (entry["folder"], entry["kind"], len(entry["sources"])) == ("desk", "story", 2)
    # the job's compare page is a link of each of its briefs
    assert entry["links"] == {"md": "desk/nato.md", "compare": "desk/compare.html"}


def test_earlier_runs_stay_listed_while_their_files_exist(tmp_path: Path) -> None:
    a, b = sources(tmp_path, 2)
    out = tmp_path / "out"
    assert run_cli("-a", "nato", "-f", "md,json", "-o", str(out), a).code == 0
    assert run_cli("-a", "nato", "-f", "md", "-o", str(out), b).code == 0
    assert [e["folder"] for e in _index(out)] == ["a0", "a1"]
    assert run_cli("-a", "nato", "-f", "md", "-o", str(out), a).code == 0  # md again, not json
    (a0, _) = _index(out)
    assert a0["links"] == {"md": "a0/nato.md", "json": "a0/nato.json"}
    assert a0["earlier"] == ["json"]
    assert "(earlier run)" in (out / "index.html").read_text()
    for path in (out / "a1").iterdir():
        path.unlink()
    (out / "a0" / "nato.json").unlink()
    assert run_cli("-a", "nato", "-f", "md", "-o", str(out), a).code == 0
    assert [(e["folder"], e["links"]) for e in _index(out)] == [("a0", {"md": "a0/nato.md"})]


def test_an_index_of_other_making_is_checked_not_trusted(tmp_path: Path) -> None:
    (a,) = sources(tmp_path, 1)
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "secret.md").write_text("not a brief")
    planted = {"folder": "x", "kind": "source", "sources": [], "title": "t", "audience": "nato",
               "relevance": 1, "relevant": True}  # fmt: skip
    (out / "index.json").write_text(json.dumps({"briefs": [
        {**planted, "links": {"md": "../secret.md"}},
        {**planted, "links": {"md": "/etc/passwd"}},
        {**planted, "links": {"md": "gone/nato.md"}},
        {**planted, "title": 7, "links": {}},
        "junk",
    ]}))  # fmt: skip
    assert run_cli("-a", "nato", "-f", "md", "-o", str(out), a).code == 0
    assert [e["folder"] for e in _index(out)] == ["a0"]
    (out / "index.json").write_text("{not json")
    result = run_cli("-a", "nato", "-f", "md", "-o", str(out), a)
    assert result.code == 0
    assert f"briefgen: warning: {out / 'index.json'}: not a briefgen index (" in result.stderr
    assert [e["folder"] for e in _index(out)] == ["a0"]


def test_article_text_in_the_index_page_stays_text(tmp_path: Path) -> None:
    title = '"<script>alert(1)</script> <img src=http://evil.example/x.png> & \\e[31m"'
    path = write_article(tmp_path, "evil.txt", article(), title=title)  # YAML: \e is ESC
    out = tmp_path / "out"
    assert run_cli("-a", "nato", "-f", "md", "-o", str(out), str(path)).code == 0
    page = (out / "index.html").read_text()
    assert "<script" not in page and "<img" not in page and "\x1b" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=http://evil.example/x.png&gt; &amp; \\x1b[31m" in page
    assert page.count("<a ") == 1 and "default-src 'none'" in page
    assert _index(out)[0]["title"].startswith("<script>")  # JSON keeps the text as it is


def test_an_interrupted_run_lists_exactly_what_it_finished(tmp_path: Path) -> None:
    """A real process with two workers, stopped by Ctrl-C: the index lists the briefs
    announced, all of which exist, and nothing else."""
    paths = sources(tmp_path, 12)
    out = tmp_path / "out"
    args = ["-j", "2", "-a", "nato", "-f", "md,pdf", "-o", str(out), *paths]
    proc = interrupt_once(args, out / "a1" / "nato.pdf")
    assert proc.returncode == 130, proc.stderr.decode()
    announced = sorted(proc.stdout.decode().split())
    listed = sorted(str(p) for p in listed_files(out))
    assert 4 <= len(listed) < 24  # some, not all
    assert listed == announced == [str(p) for p in brief_files(out)]
