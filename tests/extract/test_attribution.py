"""Tests for briefgen.extract.attribution: speaker, verb and quote from the dependency parse."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from spacy.language import Language

from briefgen.extract.attribution import AttributionResult, attribute
from briefgen.records import Attribution
from tests.helpers import seed_body


def straighten(text: str) -> str:
    """The test stand-in for the alias table: only straightens curly apostrophes."""
    return text.replace("’", "'")


@pytest.fixture(scope="module")
def run(nlp: Language) -> Callable[..., AttributionResult]:
    """Attribute the first sentence of ``text``."""

    def _run(
        text: str,
        previous: str | None = None,
        canonical: Callable[[str], str] = straighten,
    ) -> AttributionResult:
        sent = next(iter(nlp(text).sents))
        return attribute(sent, previous, canonical)

    return _run


Run = Callable[..., AttributionResult]


# --- "X said (that) ..." and its variants -------------------------------------------


def test_said_that_names_full_subject(run: Run) -> None:
    result = run("Poland’s Foreign Ministry said that the border would stay closed.")
    assert result == AttributionResult(Attribution("Poland's Foreign Ministry", "say"), False)


def test_said_on_day_that(run: Run) -> None:
    result = run("Lithuania’s army said on Sunday that the drills had ended.")
    assert result.attribution == Attribution("Lithuania's army", "say")


def test_trailing_said_after_content(run: Run) -> None:
    result = run("Troops crossed the border on Monday, the Lithuanian army said.")
    assert result.attribution == Attribution("Lithuanian army", "say")


def test_inverted_said_speaker(run: Run) -> None:
    result = run("Troops crossed the border on Monday, said Defence Minister Ivan Petrov.")
    assert result.attribution == Attribution("Defence Minister Ivan Petrov", "say")


def test_leading_the_dropped_only_before_a_name(run: Run) -> None:
    assert run("The Kremlin said the talks were over.").attribution == Attribution("Kremlin", "say")
    result = run("The organisers of the festival said it would go ahead.")
    assert result.attribution == Attribution("the organisers of the festival", "say")


def test_told_reporters(run: Run) -> None:
    result = run("The minister told reporters that the talks had collapsed.")
    assert result.attribution == Attribution("the minister", "tell")


def test_canonical_is_applied_to_speaker(run: Run) -> None:
    aliases = {"PLA": "People's Liberation Army"}
    result = run("The PLA said the drills were routine.", None, lambda s: aliases.get(s, s))
    assert result.attribution == Attribution("People's Liberation Army", "say")


# --- according to ---------------------------------------------------------------------


def test_according_to_first(run: Run) -> None:
    result = run("According to Reuters, the talks collapsed late on Friday.")
    assert result.attribution == Attribution("Reuters", "according to")


def test_according_to_last(run: Run) -> None:
    result = run("The talks collapsed late on Friday, according to Estonian officials.")
    assert result.attribution == Attribution("Estonian officials", "according to")


def test_according_to_statement_names_its_author(run: Run) -> None:
    result = run("The talks collapsed, according to a statement from NATO.")
    assert result.attribution == Attribution("NATO", "according to")


# --- claim verbs ----------------------------------------------------------------------


def test_accused_of(run: Run) -> None:
    result = run("Lithuania accused Russia of jamming GPS signals over the Baltic.")
    assert result.attribution == Attribution("Lithuania", "accuse")


def test_have_long_accused_keeps_conjuncts(run: Run) -> None:
    result = run("NATO and the EU have long accused Belarus of weaponizing the border.")
    assert result.attribution == Attribution("NATO and the EU", "accuse")


@pytest.mark.parametrize(
    ("text", "speaker", "verb"),
    [
        ("Finland warned that the crossing could close.", "Finland", "warn"),
        ("Moscow denied any involvement in the attack.", "Moscow", "deny"),
        ("Germany insisted the deal was fair.", "Germany", "insist"),
        ("Economists argue that rates must fall.", "Economists", "argue"),
        (
            "China and Belarus announced they were holding exercises.",
            "China and Belarus",
            "announce",
        ),
        ("The Pentagon confirmed that two ships had docked.", "Pentagon", "confirm"),
        ("France urged both sides to show restraint.", "France", "urge"),
        ("The unions called for a general strike.", "the unions", "call for"),
        ("Kyiv claimed that the bridge had been destroyed.", "Kyiv", "claim"),
        ("The Tories dismissed the plan as desperate.", "Tories", "dismiss"),
    ],
)
def test_claim_verbs(run: Run, text: str, speaker: str, verb: str) -> None:
    assert run(text).attribution == Attribution(speaker, verb)


def test_passive_with_agent_names_the_agent(run: Run) -> None:
    result = run("Belarus has been accused by NATO of weaponizing migrants.")
    assert result.attribution == Attribution("NATO", "accuse")


def test_went_on_to_say_inherits_subject(run: Run) -> None:
    result = run("Ms Hale went on to say that the vote would be close.")
    assert result.attribution == Attribution("Ms Hale", "say")


# --- pronouns and coordinated verbs ---------------------------------------------------


def test_pronoun_added_resolves_to_previous_speaker(run: Run) -> None:
    result = run("“We are ready for any scenario,” it added.", "China's Ministry of Defense")
    assert result.attribution is not None
    assert result.attribution.speaker == "China's Ministry of Defense"
    assert result.attribution.verb == "add"
    assert result.has_quote


def test_pronoun_without_previous_speaker_stays_pronoun(run: Run) -> None:
    result = run("“We are ready for any scenario,” it added.")
    assert result.attribution is not None
    assert result.attribution.speaker == "it"


def test_coordinated_said_inherits_pronoun_subject(run: Run) -> None:
    text = "It published a series of photographs and said the drills will last 11 days."
    result = run(text, "Belarus' Ministry of Defense")
    assert result.attribution == Attribution("Belarus' Ministry of Defense", "say")


def test_coordinated_said_inherits_named_subject(run: Run) -> None:
    result = run("Latvia closed two crossings and said more could follow.", "Someone Else")
    assert result.attribution == Attribution("Latvia", "say")


def test_the_ministry_resolves_only_to_a_ministry(run: Run) -> None:
    text = "The ministry said the drills had ended."
    resolved = run(text, "Belarus' Ministry of Defense").attribution
    assert resolved == Attribution("Belarus' Ministry of Defense", "say")
    unresolved = run(text, "Tim Osborne").attribution
    assert unresolved == Attribution("the ministry", "say")


# --- speaker phrase trimming ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "Officials in Kyiv, who spoke on condition of anonymity, said the strike killed "
            "three people.",
            "Officials in Kyiv",
        ),
        ("John Smith, the defence minister, said the army was ready.", "John Smith"),
        ("The defence minister, John Smith, said the army was ready.", "John Smith"),
        ("Lord Harrison, of the Lords committee, said he would summon ministers.", "Lord Harrison"),
        (
            "The Shadow Secretary of State for Transport, Jane Doe, said the fares were too high.",
            "Jane Doe",
        ),
        (
            "The festival's director, Polish actor Jan Nowak, said the event would go ahead.",
            "Polish actor Jan Nowak",
        ),
    ],
)
def test_speaker_phrase_drops_clauses_and_appositions(run: Run, text: str, speaker: str) -> None:
    assert run(text).attribution == Attribution(speaker, "say")


# --- quotations -----------------------------------------------------------------------


def test_curly_apostrophes_are_not_quotes(run: Run) -> None:
    text = (
        "Belarus’ Ministry of Defense said troops from China’s People’s Liberation Army "
        "arrived in Belarus over the weekend."
    )
    result = run(text)
    assert result == AttributionResult(Attribution("Belarus' Ministry of Defense", "say"), False)


def test_possessive_apostrophes_never_pair_up(run: Run) -> None:
    result = run("The soldiers’ union and the farmers’ group said the protest would go ahead.")
    assert result == AttributionResult(
        Attribution("the soldiers' union and the farmers' group", "say"), False
    )


def test_partial_quote_inside_indirect_speech(run: Run) -> None:
    text = (
        "China’s Ministry of Defense said on Sunday that the drills will include "
        "“hostage rescue operations and counter-terrorism missions.”"
    )
    result = run(text)
    expected = Attribution(
        "China's Ministry of Defense",
        "say",
        "hostage rescue operations and counter-terrorism missions.",
    )
    assert result == AttributionResult(expected, True)


def test_straight_quotes_inverted_said(run: Run) -> None:
    result = run('"We will not back down under any pressure," said the minister.')
    expected = Attribution("the minister", "say", "We will not back down under any pressure,")
    assert result == AttributionResult(expected, True)


def test_quote_split_by_sentence_splitter(run: Run) -> None:
    # The opening mark was in the previous sentence: the quote runs from the start.
    result = run('It will take years to rebuild," she said.', "Anna Lis")
    assert result == AttributionResult(
        Attribution("Anna Lis", "say", "It will take years to rebuild,"), True
    )


def test_unclosed_straight_quote_before_a_capital_runs_to_the_end(run: Run) -> None:
    result = run("Speaking in Brussels, Mr Cameron said: 'What you will see is a growth of this")
    assert result.attribution == Attribution(
        "Mr Cameron", "say", "What you will see is a growth of this"
    )


def test_several_quoted_runs_are_joined(run: Run) -> None:
    result = run("“We will win this,” he said, “and we will win it soon.”", "Mr Kay")
    assert result.attribution is not None
    assert result.attribution.quote == "We will win this, … and we will win it soon."


def test_single_curly_quote_pair(run: Run) -> None:
    result = run("Mr Osborne described the agreement as ‘a good deal for Britain’.")
    assert result == AttributionResult(
        Attribution("Mr Osborne", "describe", "a good deal for Britain"), True
    )


def test_scare_quotes_and_titles_are_not_quotations(run: Run) -> None:
    assert run("Russia calls the war a “special military operation”.") == AttributionResult(
        None, False
    )
    assert not run("His comments come in a documentary called 'No More Mr Nasty'.").has_quote


def test_short_quoted_words_count_beside_a_speech_verb(run: Run) -> None:
    result = run("The senator said the bill was a “serious mistake” for farmers.")
    assert result == AttributionResult(Attribution("the senator", "say", "serious mistake"), True)


def test_quote_without_attribution(run: Run) -> None:
    assert run("“We will fight on the beaches and in the fields.”") == AttributionResult(None, True)


def test_speech_verb_inside_quote_is_ignored(run: Run) -> None:
    result = run("“They said the bridge was safe,” the engineer told reporters.")
    assert result.attribution == Attribution(
        "the engineer", "tell", "They said the bridge was safe,"
    )


def test_quoted_speech_verb_alone_does_not_attribute(run: Run) -> None:
    result = run("He shouted: “They said the bridge was safe.”")
    assert result == AttributionResult(None, True)


# --- not attributions -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Troops arrived in Belarus over the weekend.",
        # The speech verb sits in a prepositional complement: only that clause is claimed.
        "Moscow massed troops on the border during what it said were military exercises.",
        # ... or in a temporal clause.
        "Markets fell after the central bank said it would raise rates.",
        # A plan, not a statement.
        "The White House will announce its budget on Monday.",
        # Content-only verbs with a plain object are events.
        "The company reported a profit of five billion dollars.",
        "The earthquake claimed three hundred lives.",
        # A passive without an agent names no speaker.
        "The plan was announced on Tuesday.",
        "The minister refused to say whether the talks had failed.",
    ],
)
def test_not_attributed(run: Run, text: str) -> None:
    assert run(text).attribution is None


def test_report_with_clause_is_attributed(run: Run) -> None:
    result = run("The company reported that profits rose by a fifth.")
    assert result.attribution == Attribution("the company", "report")


# --- the seed article -----------------------------------------------------------------

SEED_LINES = (
    "China and Belarus announced they were holding joint military training exercises "
    "just miles from the border of Poland – a NATO and European Union member.",
    "Belarus’ Ministry of Defense said troops from China’s People’s Liberation Army "
    "arrived in Belarus over the weekend. It published a series of photographs showing "
    "Chinese troops offloading equipment from a military cargo aircraft and said the "
    "drills will last for 11 days, from Monday to July 19.",
    "CNN has reached out to NATO for comment.",
    "China’s Ministry of Defense said on Sunday that the drills will include “hostage "
    "rescue operations and counter-terrorism missions.”",
    "“The training aims to enhance the training levels and coordination capabilities of "
    "the participating troops, as well as deepen practical cooperation between the "
    "armies of the two countries,” it added.",
)


def _attribute_lines(nlp: Language, lines: tuple[str, ...]) -> list[AttributionResult]:
    """Parse each line as its own Doc and carry the previous speaker across lines."""
    results: list[AttributionResult] = []
    previous: str | None = None
    for line in lines:
        for sent in nlp(line).sents:
            result = attribute(sent, previous, straighten)
            if result.attribution is not None:
                previous = result.attribution.speaker
            results.append(result)
    return results


def test_seed_sentences(nlp: Language) -> None:
    found = [(r.attribution, r.has_quote) for r in _attribute_lines(nlp, SEED_LINES)]
    belarus = "Belarus' Ministry of Defense"
    china = "China's Ministry of Defense"
    training = SEED_LINES[-1].split("”")[0].lstrip("“")
    assert found == [
        (Attribution("China and Belarus", "announce"), False),
        (Attribution(belarus, "say"), False),
        (Attribution(belarus, "say"), False),
        (None, False),
        (
            Attribution(china, "say", "hostage rescue operations and counter-terrorism missions."),
            True,
        ),
        (Attribution(china, "add", training), True),
    ]


def test_seed_file_speakers(nlp: Language) -> None:
    lines = tuple(line for line in seed_body().splitlines() if line)
    speakers = [r.attribution.speaker for r in _attribute_lines(nlp, lines) if r.attribution]
    assert speakers == [
        "China and Belarus",
        "Belarus' Ministry of Defense",
        "Belarus' Ministry of Defense",
        "NATO and the EU",
        "China's Ministry of Defense",
        "China's Ministry of Defense",
    ]


def test_bracketed_abbreviation_does_not_replace_the_name(run: Run) -> None:
    result = run("The Baltic Shipping Association (BSA) claims that ports were not consulted.")
    assert result.attribution == Attribution("Baltic Shipping Association", "claim")


def test_bare_as_clause_attributes_the_sentence(run: Run) -> None:
    result = run("Prices rose sharply in March, as analysts had warned.")
    assert result.attribution == Attribution("analysts", "warn")
