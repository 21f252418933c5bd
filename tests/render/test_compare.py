"""The compare page (``-f compare``) as bytes: what it holds, that the source text is
whole and exact, and that nothing from an article or a profile becomes markup.
(tests/render/test_compare_browser.py clicks through it in a real browser.)"""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from briefgen.render.compare import script_json
from briefgen.render.templates import multi_line
from tests.conftest import FIXED_EPOCH
from tests.helpers import SAMPLES, SEED, run_cli, run_cli_at

FACT = re.compile(r'<span class="fact ([\w-]+)" id="f-([^"]+)"[^>]*>(.*?)</span>', re.S)


def _page(folder: Path) -> str:
    return (folder / "compare.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("compare")
    run_cli_at(
        FIXED_EPOCH, "-a", "nato,eu,public", "-f", "compare,json,md", "-o", str(out), str(SEED)
    )
    return out / SEED.stem


@pytest.fixture(scope="module")
def merged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("compare-merged")
    args = ["--merge", "-a", "nato,public", "-f", "compare", "-o", str(out)]
    result = run_cli(*args, str(SAMPLES / "merge" / "latvia"))
    assert result.code == 0, result.stderr
    return out / "latvia"


def _brief(folder: Path, audience: str) -> dict:
    return json.loads((folder / f"{audience}.json").read_text(encoding="utf-8"))


def _data(page: str) -> dict:
    block = re.search(r'<script type="application/json" id="provenance-data">(.*?)</script>', page)
    assert block
    return json.loads(block.group(1))


def _column(page: str, audience: str) -> str:
    match = re.search(rf'<article class="column[^"]*" id="col-{audience}".*?</article>', page, re.S)
    assert match, audience
    return match.group(0)


def test_one_page_per_job_with_a_column_per_audience_in_order(seed: Path) -> None:
    assert sorted(p.name for p in seed.iterdir()) == [
        "compare.html", "eu.json", "eu.md", "nato.json", "nato.md", "public.json", "public.md",
    ]  # fmt: skip
    page = _page(seed)
    assert re.findall(r'<article class="column[^"]*" id="col-([\w-]+)"', page) == [
        "nato",
        "eu",
        "public",
    ]


def test_every_fact_is_its_exact_source_span_and_the_text_is_whole(seed: Path) -> None:
    page = _page(seed)
    brief = _brief(seed, "nato")
    spans = {fid: html.unescape(text) for _, fid, text in FACT.findall(page)}
    facts = {f["id"]: f for f in brief["facts"]}
    assert spans.keys() == facts.keys()
    text = SEED.read_text(encoding="utf-8")
    for fid, fact in facts.items():
        assert spans[fid] == fact["text"] == text[fact["start"] : fact["end"]]
    # the source pane, its markup taken away, is the source as written
    pane = re.search(r'<div class="text">(.*?)</div>', page, re.S)
    assert pane and html.unescape(re.sub(r"<[^>]+>", "", pane.group(1))) == multi_line(text)


def test_sentences_are_marked_kept_by_whom_or_left_out_with_the_reason(seed: Path) -> None:
    page = _page(seed)
    data = _data(page)
    briefs = {a: _brief(seed, a) for a in ("nato", "eu", "public")}
    used = {a: {f for i in _all_items(b) for f in i["facts"]} for a, b in briefs.items()}
    for state, fid, _ in FACT.findall(page):
        by = re.search(rf'id="f-{re.escape(fid)}"[^>]*data-by="([^"]*)"', page)
        assert by
        users = {a for a in used if fid in used[a]}
        assert set(by.group(1).split()) == users
        assert state in ({"kept", "evidence", "conflict"} if users else {"left-out"})
        for audience in {"nato", "eu", "public"} - users:
            reasons = {e["fact"]: e["reason"] for e in reversed(briefs[audience]["excluded"])}
            assert data["left"][fid][audience] == reasons.get(fid, "not used")
        assert {u[0] for u in data["uses"].get(fid, [])} == users


def _all_items(brief: dict) -> list[dict]:
    sections = [i for s in brief["sections"] for i in s["items"]]
    perspectives = [i for p in brief["perspectives"] for i in p["items"]]
    return [*brief["summary"], *sections, *perspectives, *brief["timeline"]]


def test_items_point_at_their_facts_and_show_repairs_and_wording(seed: Path) -> None:
    page = _page(seed)
    nato, public = _column(page, "nato"), _column(page, "public")
    items = re.findall(r'<li class="item" id="(nato-\d+)"[^>]*data-quote="([^"]+)"', nato)
    assert [i for i, _ in items] == [f"nato-{n}" for n in range(1, len(items) + 1)]
    quotes = {q for _, q in items}
    assert quotes <= {fid for _, fid, _ in FACT.findall(page)}
    # the seed's NATO brief repairs "It published…" and converts miles and dates
    assert '<ins class="repair" title="Repair: the source says “It” here">' in nato
    assert re.search(
        r'<span class="wording unit" title="Units: the source says “130 miles”">209 km', nato
    )
    assert '<span class="wording date"' in nato
    assert '<span class="wording acronym"' in public  # public expands acronyms
    assert re.search(r'<abbr class="grade" title="Admiralty grade: [^"]+">C3</abbr>', nato)
    assert "<abbr" not in public  # only NATO shows grades
    # every item's words are the brief's (the Markdown brief, its escapes undone)
    md = (seed / "nato.md").read_text(encoding="utf-8")
    for item in re.findall(r'<span class="text">(.*?)</span>\s', nato):
        words = html.unescape(re.sub(r"<[^>]+>", "", item))
        assert words in md.replace("\\", ""), words


def test_furniture_is_greyed_with_its_rule(seed: Path) -> None:
    furniture = re.findall(
        r'<span class="furniture" title="Removed by the cleaner: ([^"]+)"', _page(seed)
    )
    assert "photo caption" in furniture and "photo credit" in furniture
    assert '<span class="front" title="Front matter' in _page(seed)


def test_markings_are_shown_for_the_page_and_each_column(seed: Path) -> None:
    page = _page(seed)
    banner = "NATO UNCLASSIFIED · OPEN SOURCES — FOR EU INTERNAL USE · PUBLIC"
    assert page.count(f'<p class="marking">{banner}</p>') == 2  # top and bottom
    assert _column(page, "nato").count('<p class="col-marking">NATO UNCLASSIFIED</p>') == 2


def test_merged_page_shows_both_sources_conflicts_and_corroboration(merged: Path) -> None:
    page = _page(merged)
    assert re.findall(r'<article class="source" id="source-(\d)">', page) == ["1", "2"]
    nato = _column(page, "nato")
    assert '<h3 class="block conflicts">Conflicting reports</h3>' in nato
    # worded as the brief words it: the miles in km, the conversion shown as wording
    words = html.unescape(re.sub(r"<[^>]+>", "", nato))
    assert "distance (Riga): 200 km, latest report; 209 km (130 miles)" in words
    assert 'title="Units: the source says “130 miles”">209 km (130 miles)</span>' in nato
    assert "2 of 2 independent sources" in nato and "B1</abbr>" in nato
    data = _data(page)
    assert any(u[3] == "conflict" for uses in data["uses"].values() for u in uses)
    # S1's "about 200 km from Riga" is shown only as a conflicting figure
    states = {html.unescape(text): state for state, _, text in FACT.findall(page)}
    assert states["The exercise area is about 200 km from Riga."] == "conflict"
    # a line both outlets report points at both sentences
    both = [f.split() for f in re.findall(r'<li class="item"[^>]*data-facts="([^"]+)"', nato)]
    sources = re.findall(r'<p class="source-meta">.*?· ([^·<]+)</p>', page)
    stems = [Path(s).stem for s in sources]
    assert any({f.rsplit("-", 1)[0] for f in facts} == set(stems) for facts in both)


def test_page_is_the_same_bytes_every_run(seed: Path, tmp_path: Path) -> None:
    result = run_cli("-a", "nato,eu,public", "-f", "compare", "-o", str(tmp_path), str(SEED))
    assert result.code == 0, result.stderr
    again = (tmp_path / SEED.stem / "compare.html").read_bytes()
    assert again == (seed / "compare.html").read_bytes()


# --- safe and offline ----------------------------------------------------------------------

ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "p", "h1", "h2", "h3", "ul",
    "li", "span", "ins", "div", "section", "article", "aside", "a", "abbr", "footer", "script",
}  # fmt: skip


def test_hostile_article_stays_text_and_nothing_is_fetched(tmp_path: Path) -> None:
    hostile = SAMPLES / "hostile.txt"
    result = run_cli("-a", "all", "-f", "compare", "-o", str(tmp_path), str(hostile))
    assert result.code == 0, result.stderr
    page = _page(tmp_path / "hostile")
    tags = set(re.findall(r"<([a-zA-Z][\w-]*)", page))
    assert tags <= ALLOWED_TAGS, tags - ALLOWED_TAGS
    assert page.count("<script") == 2  # the data and the page's own script
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;img src=" in page
    assert "{{ 7*7 }}" in page and "covers 49" not in page
    # nothing to fetch: no attribute that loads, every link stays on the page
    attributes = _attributes(page)
    loading = {"src", "srcset", "action", "formaction", "poster", "data"}
    assert not loading & {name for name, _ in attributes}
    assert all(value.startswith("#") for name, value in attributes if name == "href")
    policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page)
    assert policy
    csp = html.unescape(policy.group(1))
    assert csp.startswith("default-src 'none'; ") and "unsafe" not in csp


def _attributes(page: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []

    class Attributes(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.extend((name, value or "") for name, value in attrs)

    Attributes().feed(page)
    return found


def test_script_json_cannot_close_its_element() -> None:
    text = script_json({"x": "</script><script>alert(1)</script>\u2028<!--", "&": "&amp;"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"x": "</script><script>alert(1)</script>\u2028<!--", "&": "&amp;"}


def test_a_profile_name_that_closes_the_script_stays_data(tmp_path: Path) -> None:
    audiences = tmp_path / "configs" / "audiences"
    audiences.mkdir(parents=True)
    evil = "</script><script>alert(1)</script>"
    (audiences / "evil.yaml").write_text(f"extends: nato\nid: evil\nname: '{evil}'\n")
    args = ["--configs", str(tmp_path / "configs"), "-a", "evil", "-f", "compare"]
    result = run_cli(*args, "-o", str(tmp_path / "out"), str(SEED))
    assert result.code == 0, result.stderr
    page = _page(tmp_path / "out" / SEED.stem)
    assert page.count("<script") == 2 and evil not in page
    assert _data(page)["audiences"] == {"evil": evil}


def test_python_api_renders_the_page_of_one_brief() -> None:
    from briefgen import Briefgen

    bg = Briefgen()
    brief = bg.brief(bg.read(str(SEED)), "public")
    page = bg.render(brief, "compare").decode("utf-8")
    assert re.findall(r'<article class="column[^"]*" id="col-([\w-]+)"', page) == ["public"]
    assert _data(page)["audiences"] == {"public": "General public"}


@pytest.mark.parametrize("skip", [False, True])
def test_an_audience_the_source_holds_little_for(tmp_path: Path, skip: bool) -> None:
    audiences = tmp_path / "configs" / "audiences"
    audiences.mkdir(parents=True)
    (audiences / "picky.yaml").write_text("extends: eu\nid: picky\nmin_relevance: 0.99\n")
    args = ["--configs", str(tmp_path / "configs"), "-a", "picky,nato", "-f", "compare"]
    args += ["--skip-irrelevant"] if skip else []
    result = run_cli(*args, "-o", str(tmp_path / "out"), str(SEED))
    assert result.code == 0, result.stderr
    page = _page(tmp_path / "out" / SEED.stem)
    columns = re.findall(r'<article class="column[^"]*" id="col-([\w-]+)"', page)
    assert columns == (["nato"] if skip else ["picky", "nato"])
    if not skip:
        picky = _column(page, "picky")
        assert "The sources hold little for this audience" in picky
        assert 'class="item"' not in picky


def test_o_dash_prints_the_one_page_of_every_audience() -> None:
    result = run_cli("-a", "all", "-f", "compare", "-o", "-", str(SEED))
    assert result.code == 0, result.stderr
    assert result.stdout.startswith("<!DOCTYPE html>") and result.stdout.count('id="col-') == 3
    two = run_cli("-a", "all", "-f", "compare,md", "-o", "-", str(SEED))
    assert two.code == 2 and "-o - prints one brief" in two.stderr
