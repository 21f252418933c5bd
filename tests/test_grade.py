"""Admiralty grades: source reliability from the table, credibility from the other sources."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from briefgen import Briefgen
from briefgen.records import Brief, BriefItem
from tests.helpers import SAMPLES, run_cli, write_article

WIRE = SAMPLES / "merge" / "wire"
LATVIA = SAMPLES / "merge" / "latvia"
BG = Briefgen(today=date(2024, 10, 16))


def _unbudgeted(tmp_path: Path) -> str:
    profile = tmp_path / "graded.yaml"
    profile.write_text(
        "extends: nato\nid: graded\nname: Graded\nmin_relevance: 0\n"
        "budget:\n  share: 1.0\n  max_words_merged: 5000\n"
    )
    return str(profile)


def _all(brief: Brief) -> list[BriefItem]:
    return [*brief.items(), *(i for p in brief.perspectives for i in p.items), *brief.timeline]


def _graded(brief: Brief, words: str) -> str:
    item = next(i for i in _all(brief) if words in i.text)
    assert item.grade is not None
    return item.grade.code


def test_two_independent_families_confirm_an_item(tmp_path: Path) -> None:
    brief = BG.brief(BG.read(WIRE / "ap.txt", WIRE / "reuters.txt"), _unbudgeted(tmp_path))
    assert _graded(brief, "Dock workers") == "B1"  # AP and Reuters, both B


def test_a_wire_story_reprinted_by_papers_of_other_families_is_not_confirmation(
    tmp_path: Path,
) -> None:
    sources = BG.read(WIRE / "ap.txt", WIRE / "herald.txt", WIRE / "daily.txt")
    brief = BG.brief(sources, _unbudgeted(tmp_path))
    # three mastheads, three families, one origin: probably true from a B source, not 1
    assert _graded(brief, "ships were waiting") == "B2"
    item = next(i for i in _all(brief) if "ships were waiting" in i.text)
    assert [f.doc for f in item.evidence] == ["ap", "herald", "daily"]


def test_a_conflicting_figure_is_doubtful() -> None:
    from briefgen.grade import grade
    from briefgen.merge import merge

    sources = BG.read(LATVIA / "bbc.txt", LATVIA / "reuters.txt")
    story = merge(sources, BG.shared.publishers)
    by_id = {e.document.source.id: e.document.source for e in sources}
    injured = [g for g in story.groups if "injured" in g.quote.text]
    assert len(injured) == 2  # 12 (BBC) and nine (Reuters): never merged into one item
    for group in injured:
        found = grade(group.evidence, story, BG.shared.publishers, by_id)
        # an equally graded (B) source gives the figure differently, not outweighing it
        assert (found.code, found.basis.split(";")[-1].strip()) == (
            "B4",
            "contradicted by 1 source graded B giving a figure differently",
        )


def test_an_unknown_blog_cannot_be_judged(tmp_path: Path) -> None:
    blog = write_article(
        tmp_path, "blog.txt", "Troops crossed the bridge at dawn near the border.\n",
        publisher="Frontline Gossip Blog",
    )  # fmt: skip
    brief = BG.brief(BG.read(blog), _unbudgeted(tmp_path))
    assert _graded(brief, "Troops crossed") == "F6"


def test_an_attributed_claim_is_graded_as_that_speakers_claim(tmp_path: Path) -> None:
    brief = BG.brief(BG.read(WIRE / "ap.txt", WIRE / "reuters.txt"), _unbudgeted(tmp_path))
    item = next(i for i in _all(brief) if "Union leader" in i.text)
    assert item.grade is not None
    assert item.grade.basis.startswith(
        "graded: the report that Union leader Mihai Radu said it, not what was said"
    )


def test_a_user_table_overrides_the_built_in_one(tmp_path: Path) -> None:
    configs = tmp_path / "configs"
    configs.mkdir()
    (configs / "sources.yaml").write_text(
        "publishers:\n  - name: Frontline Gossip Blog\n    family: Gossip Inc\n"
        "    type: blog\n    reliability: E\n    basis: repeated fabrications on record\n"
    )
    blog = write_article(
        tmp_path, "blog.txt", "Troops crossed the bridge at dawn near the border.\n",
        publisher="Frontline Gossip Blog",
    )  # fmt: skip
    mine = Briefgen(configs=[configs], today=date(2024, 10, 16))
    brief = mine.brief(mine.read(blog), _unbudgeted(tmp_path))
    assert _graded(brief, "Troops crossed") == "E4"


def test_a_rating_without_its_basis_is_a_config_error(tmp_path: Path) -> None:
    configs = tmp_path / "configs"
    configs.mkdir()
    (configs / "sources.yaml").write_text("publishers:\n  - name: Some Paper\n    reliability: B\n")
    result = run_cli("-a", "nato", "-f", "md", "-o", "-", "--configs", str(configs))
    assert result.code == 2
    assert "sources.yaml:2" in result.stderr and "states no basis" in result.stderr


def test_nato_shows_grades_a_legend_and_each_sources_rating(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_cli("--merge", "-a", "nato,eu", "-f", "md,json,pdf", "-o", str(out), str(LATVIA))
    assert result.code == 0, result.stderr
    nato = (out / "latvia" / "nato.md").read_text()
    assert "2 of 2 independent sources · B1)" in nato
    assert "Grades (Admiralty code, STANAG 2511)" in nato
    assert "· reliability B (Thomson Reuters)" in nato
    assert "Admiralty" not in (out / "latvia" / "eu.md").read_text()  # EU words it instead
    data = json.loads((out / "latvia" / "nato.json").read_text())
    grade = data["summary"][0]["grade"]
    assert set(grade) == {"reliability", "credibility", "basis"}
    assert (grade["reliability"], grade["credibility"]) == ("B", 1)
    assert {s["reliability"] for s in data["sources"]} == {"B"}
    from pypdf import PdfReader

    pdf = PdfReader(str(out / "latvia" / "nato.pdf"))
    text = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
    assert "Grades (Admiralty code, STANAG 2511)" in text


def test_a_profile_floor_leaves_out_items_graded_below_it(tmp_path: Path) -> None:
    profile = tmp_path / "strict.yaml"
    profile.write_text(
        "extends: nato\nid: strict\nname: Strict\nmin_relevance: 0\n"
        "grading:\n  show: true\n  min_credibility: 1\n"
    )
    brief = BG.brief(BG.read(LATVIA / "bbc.txt", LATVIA / "reuters.txt"), str(profile))
    assert brief.items() and all(i.grade and i.grade.credibility == 1 for i in brief.items())
    assert any("credibility below the profile's floor (1)" in e.reason for e in brief.excluded)


def test_the_public_says_confirmed_only_of_an_item_graded_confirmed(tmp_path: Path) -> None:
    latvia = BG.brief(BG.read(LATVIA / "bbc.txt", LATVIA / "reuters.txt"), "public")
    md = BG.render(latvia, "md").decode()
    assert "(S1 ¶1; S2 ¶1 · confirmed by 2 news outlets)" in md
    # a reprint counts once: nothing there is confirmed, whatever the mastheads
    wire = BG.brief(BG.read(WIRE / "ap.txt", WIRE / "herald.txt", WIRE / "daily.txt"), "public")
    assert "confirmed" not in BG.render(wire, "md").decode()
