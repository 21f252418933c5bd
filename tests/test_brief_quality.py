"""A brief, not a restatement: budgets, nothing twice, sentences that stand alone, the
news first, relevance per audience."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from briefgen import Briefgen
from briefgen.records import Entity, Fact
from briefgen.standalone import repairs
from tests.factories import brief_of, make_fact
from tests.helpers import SEED, run_cli, without_closing_line, write_article

BG = Briefgen(today=date(2024, 7, 9))
WORDS = ["Troops", "Tanks", "Ships", "Drones", "Convoys", "Jets", "Medics", "Envoys"]


def _words(texts: list[str]) -> int:
    return sum(len(t.split()) for t in texts)


def _body(brief: object) -> list[str]:
    return [i.text for i in brief.items()]  # type: ignore[attr-defined]


def test_a_pronoun_opening_sentence_is_repaired_with_its_source_span_in_json(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    result = run_cli("-a", "nato", "-f", "json,md", "-o", str(out), str(SEED))
    assert result.code == 0, result.stderr
    data = json.loads((out / SEED.stem / "nato.json").read_text())
    items = [*data["summary"], *(i for s in data["sections"] for i in s["items"])]
    (item,) = [i for i in items if i["repairs"]]
    assert item["text"].startswith("[Belarus’ Ministry of Defense] published a series")
    (repair,) = item["repairs"]
    text = SEED.read_text(encoding="utf-8")
    assert text[repair["start"] : repair["end"]] == repair["replaced"] == "It"
    assert repair["inserted"] == "Belarus’ Ministry of Defense"  # as the source spells it
    fact = next(f for f in data["facts"] if f["id"] == item["quote"])
    assert text[fact["start"] : fact["end"]] == fact["text"]  # provenance stays exact
    md = (out / SEED.stem / "nato.md").read_text()
    assert "- \\[Belarus’ Ministry of Defense\\] published a series" in md


def _fact(text: str, position: int, **kw: object) -> Fact:
    return make_fact(text, position=position, start=position * 100, **kw)  # type: ignore[arg-type]


def test_repairs_follow_the_editors_rules() -> None:
    said = _fact("She said the plan would cost more.", 1, speaker="Patricia Hewitt")
    assert [(r.text, r.end - r.start) for r in repairs(said, None) or ()] == [
        ("Patricia Hewitt", 3)
    ]
    but = _fact("But the ministry said the drills were routine.", 2)
    ((start, end, text),) = [(r.start, r.end, r.text) for r in repairs(but, None) or ()]
    assert (text, but.text[start - but.start : end - but.start]) == ("T", "But t")
    howard = (Entity("Mr Howard", "PERSON", "Michael Howard", 0, 9),)
    prev = make_fact("Mr Howard spoke on Monday.", position=0, entities=howard)
    his = _fact("His comments come in a documentary.", 1)
    assert [r.text for r in repairs(his, prev) or ()] == ["Mr Howard’s"]
    assert (
        repairs(_fact("It would mean paid leave would rise.", 1), prev) is None
    )  # "it" may be empty
    assert repairs(_fact("This move angered the unions.", 1), prev) is None
    assert repairs(_fact("Troops crossed the river.", 0), None) == ()


def test_an_unrepairable_opener_stays_out_with_its_reason() -> None:
    facts = [
        make_fact("Maternity pay is to rise by 1,400 pounds.", position=0, salience=0.9),
        make_fact("It would mean paid leave would rise to nine months.", position=1, salience=0.9),
    ]
    brief = brief_of(facts, summary={"max_items": 3})
    assert _body(brief) == ["Maternity pay is to rise by 1,400 pounds."]
    reason = {e.fact: e.reason for e in brief.excluded}["d-1"]
    assert reason == "opens with 'It' and its referent is not in the brief (no safe repair)"


def test_a_perspective_never_copies_the_body() -> None:
    for audience in ("nato", "eu", "public"):
        brief = BG.brief(BG.read(SEED), audience)
        body = {i.quote.id for i in brief.items()}
        assert not body & {i.quote.id for p in brief.perspectives for i in p.items}


def test_the_word_budget_is_respected_and_a_third_of_the_article() -> None:
    (seed,) = BG.read(SEED)
    article = _words([f.text for f in seed.facts])
    for audience in ("nato", "eu", "public"):
        brief = BG.brief([seed], audience)
        shown = [*_body(brief), *(i.text for p in brief.perspectives for i in p.items)]
        assert _words(shown) <= 0.35 * article, audience
    facts = [make_fact(f"{w} crossed the {w2} at dawn.", position=n)
             for n, (w, w2) in enumerate(zip(WORDS, reversed(WORDS), strict=True))]  # fmt: skip
    brief = brief_of(facts, summary={"max_items": 8}, budget={"share": 1.0, "min_words": 0,
                                                              "max_words": 20})  # fmt: skip
    assert 0 < _words(_body(brief)) <= 20
    assert any("over the word budget" in e.reason for e in brief.excluded)


def test_a_block_budget_caps_that_block() -> None:
    facts = [make_fact(f"{w} reached {w2} today.", position=n)
             for n, (w, w2) in enumerate(zip(WORDS, reversed(WORDS), strict=True))]  # fmt: skip
    brief = brief_of(facts, summary={"max_items": 6, "max_words": 9})
    assert len(brief.summary) == 2  # 4 words each


def test_every_brief_of_the_seed_leads_with_its_first_sentence() -> None:
    (seed,) = BG.read(SEED)
    for audience in ("nato", "eu", "public"):
        assert BG.brief([seed], audience).summary[0].quote.position == 0


def test_an_off_topic_source_below_the_floor_warns_and_says_so(tmp_path: Path) -> None:
    cat = write_article(tmp_path, "cat.txt", "The cat sat on the mat.\nIt purred all afternoon.\n")
    out = tmp_path / "out"
    result = run_cli("-a", "nato,public", "-f", "md,json", "-o", str(out), str(cat))
    assert result.code == 0, result.stderr
    assert without_closing_line(result.stderr) == (
        f"briefgen: warning: {cat}: holds little for 'nato' (relevance 0.00 < 0.2); "
        "a short brief says so\n"
    )
    md = (out / "cat" / "nato.md").read_text()
    assert "holds little for NATO staff" in md and "## Bottom line up front" not in md
    data = json.loads((out / "cat" / "nato.json").read_text())
    assert (data["relevance"], data["relevant"], data["summary"]) == (0.0, False, [])
    assert "The cat sat" in (out / "cat" / "public.md").read_text()  # the public wants anything
    skipped = run_cli("-a", "nato", "-f", "md", "-o", str(tmp_path / "o2"), "--skip-irrelevant",
                      str(cat))  # fmt: skip
    assert skipped.code == 0 and skipped.stdout == ""
    assert without_closing_line(skipped.stderr).endswith("; skipped\n")
    assert "1 source → 0 briefs in " in skipped.stderr
    assert not (tmp_path / "o2").exists()


def test_nothing_is_said_twice_in_a_merged_brief() -> None:
    from tests.helpers import SAMPLES

    latvia = SAMPLES / "merge" / "latvia"
    brief = BG.brief(BG.read(latvia / "bbc.txt", latvia / "reuters.txt"), "public")
    shown = [*brief.items(), *(i for p in brief.perspectives for i in p.items), *brief.timeline]
    ids = [f.id for i in shown for f in i.evidence]
    assert len(ids) == len(set(ids))


def test_a_piece_cut_from_an_overlong_sentence_is_not_an_item(tmp_path: Path) -> None:
    word = "x" * 20_000
    path = write_article(tmp_path, "long.txt", f"Troops crossed the border on Monday.\n{word}\n")
    brief = BG.brief(BG.read(path), "public")
    assert _body(brief) == ["Troops crossed the border on Monday."]
    reasons = [e.reason for e in brief.excluded]
    assert reasons and all(
        "too long to stand as one sentence" in r or "not a sentence" in r for r in reasons
    )


def test_headlines_captions_and_date_lines_are_no_items(tmp_path: Path) -> None:
    body = (
        "Troops crossed the border on Monday, the army said.\n\n"
        "Countries affected by the drills\n\nDecember 29, 2004\n\nLocal death tolls\n\n"
        "Officials said the drills would end on Friday.\n"
    )
    path = write_article(tmp_path, "mixed.txt", body)
    brief = BG.brief(BG.read(path), "public")
    assert _body(brief) == [
        "Troops crossed the border on Monday, the army said.",
        "Officials said the drills would end on Friday.",
    ]
