"""One brief from many sources: dedupe, corroboration, conflicts, speakers, folders."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from briefgen import Briefgen
from briefgen.merge import Group, PublisherTable, SourceTableConfig, Story, merge
from briefgen.records import Brief, BriefItem, Source
from briefgen.speakers import speaker_names
from tests.helpers import SAMPLES, run_cli, write_article

LATVIA = SAMPLES / "merge" / "latvia"
WIRE = SAMPLES / "merge" / "wire"
BG = Briefgen(today=date(2024, 9, 6))


def _items(brief: Brief) -> list[BriefItem]:
    return [*brief.items(), *(i for p in brief.perspectives for i in p.items)]


def _item(brief: Brief, words: str) -> BriefItem:
    return next(i for i in _items(brief) if words in i.text)


def test_two_outlets_reporting_one_event_in_different_words_make_one_item() -> None:
    brief = BG.brief(BG.read(LATVIA / "bbc.txt", LATVIA / "reuters.txt"), "nato")
    item = _item(brief, "exercises")
    assert [f.doc for f in item.evidence] == ["bbc", "reuters"]
    assert item.corroboration is not None
    assert (item.corroboration.publishers, item.corroboration.of) == (2, 2)
    markdown = BG.render(brief, "md").decode()
    assert "(S1 ¶1; S2 ¶1 · 2 of 2 independent sources · B1)" in markdown
    # reworded: not one sentence of the two is the same text
    assert item.evidence[0].text != item.evidence[1].text
    assert sum("Russian troops" in i.text for i in brief.items()) == 1  # said once


def test_the_item_quotes_the_most_informative_report() -> None:
    story = merge(BG.read(LATVIA / "bbc.txt", LATVIA / "reuters.txt"))
    group = next(g for g in story.groups if "armoured vehicles" in g.quote.text)
    assert group.quote.doc == "reuters"  # "... the ministry said in a statement": more to it
    assert {f.doc for f in group.evidence} == {"bbc", "reuters"}


def _group(story: Story, words: str) -> Group:
    return next(g for g in story.groups if words in g.quote.text)


def test_a_wire_story_reprinted_by_two_papers_counts_once() -> None:
    sources = BG.read(WIRE / "ap.txt", WIRE / "herald.txt", WIRE / "daily.txt")
    story = merge(sources, BG.shared.publishers)
    for words in ("walked off the job", "ships were waiting", "Union leader"):
        group = _group(story, words)
        assert [f.doc for f in group.evidence] == ["ap", "herald", "daily"]
        corroboration = story.corroboration(group.evidence)
        assert (corroboration.publishers, corroboration.of) == (1, 1)
    brief = BG.brief(sources, "public")
    assert dict(brief.origins) == {"ap": "ap", "herald": "ap", "daily": "ap"}
    markdown = BG.render(brief, "md").decode()
    assert "counted with S1 (same publisher family or a reprint)" in markdown
    assert "independent" not in markdown.split("## Sources")[0]  # no "1 of 1" noise


def test_an_independent_outlet_corroborates_the_wire_story() -> None:
    sources = BG.read(WIRE / "ap.txt", WIRE / "herald.txt", WIRE / "reuters.txt")
    story = merge(sources, BG.shared.publishers)
    lead = story.corroboration(_group(story, "Dock workers").evidence)
    assert (lead.publishers, lead.of) == (2, 2)
    assert lead.sources == ("ap", "herald", "reuters")
    only_wire = story.corroboration(_group(story, "Union leader").evidence)
    assert (only_wire.publishers, only_wire.of) == (1, 2)  # two papers, one origin


def test_two_desks_of_one_agency_are_one_family() -> None:
    table = PublisherTable(
        SourceTableConfig.model_validate(
            {"publishers": [{"name": "Reuters", "aliases": ["Reuters UK"],
                             "domains": ["reuters.com"], "family": "Thomson Reuters"}]}
        )
    )  # fmt: skip
    uk = Source("a", "a.txt", publisher="Reuters UK")
    web = Source("b", "b.txt", url="https://uk.reuters.com/x")
    other = Source("c", "c.txt", publisher="Unknown Blog")
    assert table.family(uk) == table.family(web) == "thomson reuters"
    assert table.family(other) == "unknown blog"
    assert Source("d", "d.txt").id not in table.family(other)


def test_built_in_table_knows_reuters_desks(tmp_path: Path) -> None:
    a = write_article(tmp_path, "a.txt", "Dock workers went on strike on Monday in Constanta.\n",
                      publisher="Reuters")  # fmt: skip
    b = write_article(tmp_path, "b.txt", "Ships waited outside the port of Constanta on Monday.\n",
                      publisher="Reuters UK")  # fmt: skip
    story = merge(BG.read(a, b), BG.shared.publishers)
    assert story.origins == {"a": "a", "b": "a"}


def test_conflicting_distance_and_casualty_count_are_shown_with_citations() -> None:
    brief = BG.brief(BG.read(LATVIA / "bbc.txt", LATVIA / "reuters.txt"), "nato")
    conflicts = {c.measure: c for c in brief.conflicts}
    assert set(conflicts) == {"distance (Riga)", "number of people"}
    distance = conflicts["distance (Riga)"]
    assert [(r.fact.doc, r.figure.text, round(r.value)) for r in distance.reports] == [
        ("bbc", "200 km", 200),
        ("reuters", "130 miles", 209),
    ]
    count = conflicts["number of people"]
    assert [(r.fact.doc, r.value, r.latest) for r in count.reports] == [
        ("bbc", 12.0, True),  # published a day later
        ("reuters", 9.0, False),
    ]
    markdown = BG.render(brief, "md").decode()
    assert (
        "- **distance (Riga)**: 200 km (S1 ¶3, latest report); 209 km (130 miles) (S2 ¶3)"
        in markdown
    )
    assert (
        "- **number of people**: 12 people (S1 ¶5, latest report); Nine people (S2 ¶5)" in markdown
    )
    # the body never shows both versions of one figure
    shown = [i.text for i in brief.items()]
    assert not ("200 km" in " ".join(shown) and "130 miles" in " ".join(shown))


def test_figures_that_agree_after_conversion_are_no_conflict(tmp_path: Path) -> None:
    a = write_article(tmp_path, "a.txt", "The convoy stopped 130 miles from Warsaw on Monday.\n")
    b = write_article(tmp_path, "b.txt", "The convoy halted 209 km from Warsaw on Monday.\n")
    c = write_article(tmp_path, "c.txt", "The convoy stopped 200 km from Warsaw on Monday.\n")
    assert BG.brief(BG.read(a, b), "nato").conflicts == ()
    (conflict,) = BG.brief(BG.read(a, c), "nato").conflicts
    assert [r.figure.text for r in conflict.reports] == ["130 miles", "200 km"]


def test_a_list_of_figures_is_not_a_conflict(tmp_path: Path) -> None:
    a = write_article(tmp_path, "a.txt", "Japan pledged $500 million and China $60 million.\n")
    b = write_article(tmp_path, "b.txt", "Japan pledged $500 million, China pledged $80 million.\n")
    assert BG.brief(BG.read(a, b), "nato").conflicts == ()


def test_speaker_name_variants_are_one_speaker_across_sources(tmp_path: Path) -> None:
    profile = tmp_path / "all-said.yaml"
    profile.write_text(  # everything said, nothing else: perspectives get it all
        "extends: public\nid: said\nname: Said\nperspectives:\n  max_per_speaker: 5\n"
        "budget:\n  share: 1.0\n  max_words_merged: 2000\nsummary:\n  max_items: 1\n"
        "sections: []\n"
    )
    brief = BG.brief(BG.read(LATVIA / "bbc.txt", LATVIA / "reuters.txt"), str(profile))
    speakers = [p.speaker for p in brief.perspectives]
    assert "Latvian Prime Minister Evika Silina" in speakers
    assert not {"Ms Silina", "Silina"} & set(speakers)
    group = next(p for p in brief.perspectives if p.speaker.endswith("Silina"))
    assert {i.quote.doc for i in group.items} == {"bbc", "reuters"}


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["David Cameron", "Mr Cameron", "Cameron"], ["David Cameron"] * 3),
        (["Belarus’ Ministry of Defense", "the Belarusian Ministry of Defense"],
         ["Belarus’ Ministry of Defense"] * 2),
        (["Anders Fogh Rasmussen", "Its Secretary General Mr Rasmussen"],
         ["Anders Fogh Rasmussen"] * 2),
        (["John Smith", "Jane Smith", "Smith"], ["John Smith", "Jane Smith", "Smith"]),
        (["It", "officials", "the Foreign Ministry"], [None, None, "Foreign Ministry"]),
    ],
)  # fmt: skip
def test_speaker_names(names: list[str], expected: list[str | None]) -> None:
    found = speaker_names(names)
    assert [found[n] for n in names] == expected


def test_merge_writes_one_brief_per_audience_named_after_the_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_cli("--merge", "-a", "nato,eu", "-f", "md,json", "-o", str(out), str(LATVIA))
    assert result.code == 0, result.stderr
    assert result.stdout.split() == [
        str(out / "latvia" / name) for name in ("nato.md", "nato.json", "eu.md", "eu.json")
    ]
    data = json.loads((out / "latvia" / "nato.json").read_text())
    assert data["schema"] == "briefgen.brief/2"
    assert [s["id"] for s in data["sources"]] == ["bbc", "reuters"]
    first = data["summary"][0]
    assert first["sources"] == ["bbc", "reuters"]
    assert first["corroboration"] == {"publishers": 2, "of": 2}
    assert len(first["facts"]) == 2 and first["quote"] in first["facts"]
    assert {c["measure"] for c in data["conflicts"]} == {"distance (Riga)", "number of people"}
    report = data["conflicts"][0]["reports"][0]
    assert set(report) == {"fact", "source", "text", "value", "unit", "latest"}
    assert all(first["id"] in s["items"] for s in data["sources"])


def test_each_folder_is_its_own_merged_brief_and_loose_files_take_the_name(tmp_path: Path) -> None:
    out = tmp_path / "out"
    loose = write_article(tmp_path, "note.txt", "Officials said the port reopened on Tuesday.\n")
    args = ["--merge", "--name", "desk", "-a", "eu", "-f", "md", "-o", str(out)]
    result = run_cli(*args, str(LATVIA), str(WIRE), str(loose), str(LATVIA / "bbc.txt"))
    assert result.code == 0, result.stderr
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.md")) == [
        "desk/eu.md",
        "latvia/eu.md",
        "wire/eu.md",
    ]
    wire = (out / "wire" / "eu.md").read_text()
    assert "**S4**" in wire and "**S5**" not in wire  # ap, daily, herald, reuters


def test_loose_files_of_one_folder_are_named_after_it(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_cli("--merge", "-a", "eu", "-f", "md", "-o", str(out),
                     str(LATVIA / "bbc.txt"), str(LATVIA / "reuters.txt"))  # fmt: skip
    assert result.code == 0, result.stderr
    assert (out / "latvia" / "eu.md").is_file()
    elsewhere = write_article(tmp_path, "x.txt", "Officials said the port reopened on Tuesday.\n")
    result = run_cli("--merge", "-a", "eu", "-f", "md", "-o", str(out),
                     str(LATVIA / "bbc.txt"), str(elsewhere))  # fmt: skip
    assert (out / "merged" / "eu.md").is_file()


def test_without_merge_a_folder_gives_a_brief_per_file_in_natural_order(tmp_path: Path) -> None:
    folder = tmp_path / "cluster"
    folder.mkdir()
    for n in (10, 2, 1):
        write_article(folder, f"doc{n}.txt", f"Officials said the bridge {n} reopened on Monday.\n")
    write_article(folder, "summary.txt", "A reference summary, not an article.\n")
    (folder / ".hidden.txt").write_text("Not listed.\n")
    (folder / "notes.pdf").write_bytes(b"%PDF")
    out = tmp_path / "out"
    result = run_cli("-a", "eu", "-f", "md", "-o", str(out), "--exclude", "summary*", str(folder))
    assert result.code == 0, result.stderr
    assert [Path(p).parent.name for p in result.stdout.split()] == ["doc1", "doc2", "doc10"]


def test_a_folder_without_articles_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = run_cli("--merge", "-a", "eu", "-o", str(tmp_path / "o"), str(tmp_path / "empty"))
    assert result.code == 1
    assert result.stderr == (
        f"briefgen: error: {tmp_path / 'empty'}: no article in this folder "
        "(looked for .htm, .html, .md, .txt files)\n"
    )


def test_name_without_merge_is_a_usage_error() -> None:
    result = run_cli("--name", "x", "-a", "eu")
    assert (result.code, result.stderr) == (
        2,
        "briefgen: error: --name names a merged brief: give --merge too\n",
    )


def test_one_source_briefs_are_unchanged_by_merging() -> None:
    (one,) = BG.read(LATVIA / "bbc.txt")
    brief = BG.brief([one], "nato")
    assert brief.conflicts == () and brief.timeline == () and brief.origins == ()
    assert all(i.corroboration is None and i.evidence == (i.quote,) for i in _items(brief))


def test_a_merged_brief_reads_the_same_whatever_else_the_run_holds(tmp_path: Path) -> None:
    alone, together = tmp_path / "alone", tmp_path / "together"
    assert run_cli("--merge", "-a", "eu", "-f", "md,json", "-o", str(alone), str(WIRE)).code == 0
    args = ["--merge", "-a", "eu", "-f", "md,json", "-o", str(together), str(LATVIA), str(WIRE)]
    assert run_cli(*args).code == 0
    for name in ("eu.md", "eu.json"):
        assert (alone / "wire" / name).read_bytes() == (together / "wire" / name).read_bytes()
