"""repetition family (REP001 doubled words, REP002 phrase loops): unit tests on invented text,
plus seed and false-positive checks on ../shared (skipped when absent)."""

from __future__ import annotations

import pytest
from shared_data import bbc_texts, seed_text

from detector.families import repetition
from detector.text import Document


def found(text: str, code: str | None = None):
    return [f for f in repetition.detect(text) if code is None or f.code == code]


def spans(text: str, code: str | None = None) -> list[str]:
    return [text[f.start : f.end] for f in found(text, code)]


# --- REP001 ---------------------------------------------------------------------------------


def test_doubled_word_exact_span_and_suggestion():
    text = "The council said the the bridge would reopen in May."
    (f,) = found(text)
    assert (f.family, f.code, f.severity) == ("repetition", "REP001", "warning")
    assert text[f.start : f.end] == "the the"
    assert f.suggestion == "the"
    assert '"the the"' in f.message
    assert (f.line, f.column) == (0, 0)


def test_doubled_word_case_insensitive_at_sentence_start():
    text = "Rain fell. The the river rose overnight."
    assert spans(text, "REP001") == ["The the"]


@pytest.mark.parametrize(
    "text",
    [
        "The firm had had a difficult year.",
        "He argued that that decision was wrong.",
        "What the plan is is a matter for the board.",
        "We do do our best to answer every letter.",
        "It was a very very close race.",
        "She won 6-4 6-4 in the final.",
        "Call 0800 505 505 for details.",
        "The band Duran Duran played in Bora Bora.",
        "The senior law lord Lord Ellison gave the ruling.",
        "The vote. The result was close.",
    ],
)
def test_legitimate_doubles_not_flagged(text):
    assert found(text, "REP001") == []


def test_doubled_word_not_across_line_break():
    assert found("The report named the\nthe second paragraph starts here.", "REP001") == []


def test_offsets_with_crlf_and_unicode():
    text = "Zoë Müller – the mayor – said:\r\n\r\n“We will will rebuild the the old café.”\r\n"
    got = spans(text, "REP001")
    assert got == ["will will", "the the"]


# --- REP002 ---------------------------------------------------------------------------------


def test_list_loop_covers_whole_repeat():
    text = (
        "The envoy said Washington wanted to see their plans, their timetable, their plans, "
        "and what their answers are to hard questions."
    )
    (f,) = found(text, "REP002")
    assert text[f.start : f.end] == "their plans, their timetable, their plans"
    assert f.suggestion == "their plans, their timetable"
    assert '"their plans"' in f.message


def test_loop_followed_by_conjunction():
    text = "Aid groups asked about their routes, their budgets, their routes and their staff."
    assert spans(text, "REP002") == ["their routes, their budgets, their routes"]


def test_immediate_phrase_repeat():
    text = "The convoy halted 40 miles from the border, 40 miles from the border, and turned back."
    (f,) = found(text, "REP002")
    assert text[f.start : f.end] == "40 miles from the border, 40 miles from the border"
    assert f.suggestion == "40 miles from the border"


def test_immediate_repeat_without_punctuation():
    text = "Analysts expect inflation to ease to ease to 3% next year."
    assert spans(text, "REP002") == ["to ease to ease"]
    assert found(text, "REP001") == []


def test_chain_is_one_finding():
    text = "The siren, the siren, the siren woke the whole street."
    (f,) = found(text, "REP002")
    assert text[f.start : f.end] == "The siren, the siren, the siren"
    assert f.suggestion == "The siren"


def test_whole_sentence_repeated():
    text = (
        "Officials met on Friday. The bridge reopened to traffic today. The bridge reopened to traffic today."
    )
    (f,) = found(text, "REP002")
    assert (
        text[f.start : f.end] == "The bridge reopened to traffic today. The bridge reopened to traffic today"
    )


@pytest.mark.parametrize(
    "text",
    [
        # parallelism and lists
        "Firms want to maximise profit, governments want to maximise votes.",
        "More than 1,000 people were evacuated and more than 2,000 people lost power.",
        "Prices rose 2 per cent to 3 per cent, while wages rose 1 per cent.",
        "Output rose to 80 barrels a day from 70 barrels a day.",
        "He met the president of France, the president of Germany and the president of Italy.",
        "We will fight on the beaches, we will fight on the landing grounds.",
        "Our clients are diverse, our staff are diverse.",
        # reduplication idioms and titles
        "The pressure keeps growing stronger and stronger and nobody can stop it.",
        "They won back to back titles and worked side by side.",
        "He starred in Measure for Measure at the National Theatre.",
        "That is what really makes a phone a phone.",
        # lists in parentheses
        "The squad: Ann Lee (Leeds City), Bo Park (Leeds City), Cy Ward (Hull).",
        # anaphora across sentences repeats only the opening
        "We needed to cut costs. We needed to cut a lot more than costs.",
        "Doctors are asking for clarity. Patients are asking for clarity too, and nurses agree.",
    ],
)
def test_normal_prose_not_flagged(text):
    assert found(text, "REP002") == []


def test_headline_restated_in_first_paragraph_not_flagged():
    text = "Council will rebuild old bridge\n\nThe city council will rebuild the old bridge by 2027."
    assert found(text) == []


def test_accepts_document_and_string_alike():
    text = "They studied the map, the route, the map, and then left."
    assert repetition.detect(text) == repetition.detect(Document(text))
    assert spans(text, "REP002") == ["the map, the route, the map"]


@pytest.mark.parametrize(
    "text,target",
    [
        # a double that is grammatical elsewhere but not here
        ("Officials said the bridge is is closed until spring.", "is is"),
        ("She told reporters that that the deal had collapsed.", "that that"),
        ("The club had had been warned twice before the hearing.", "had had"),
        ("Investors had had expected more from the sale.", "had had"),
        ("Rates stayed low as there there was little demand.", "there there"),
    ],
)
def test_grammatical_doubles_flagged_where_they_are_slips(text, target):
    assert spans(text, "REP001") == [target]


@pytest.mark.parametrize(
    "text",
    [
        "What the council does does not change the budget.",
        "There, there, she said, it will be fine.",
        "The firm had had a difficult year.",
        "The scheme had had limited success so far.",
        "He argued that that decision was wrong.",
    ],
)
def test_grammatical_doubles_still_allowed(text):
    assert found(text, "REP001") == []


@pytest.mark.parametrize(
    "text,target",
    [
        # a phrase spliced back into running text a few words later (MT / spinner loops)
        (
            "The mayor has denied charges of bribery and fraud, charges of bribery. The trial opens today.",
            "charges of bribery and fraud, charges of bribery",
        ),
        (
            "The bank said it had revised down the, said it had forecasts for March.",
            "said it had revised down the, said it had",
        ),
        (
            "The storm struck 30 miles south of the port, south of the port before dawn.",
            "south of the port, south of the port",
        ),
        (
            "Ferry services were cut to the northern islands in the, to the northern islands on Monday.",
            "to the northern islands in the, to the northern islands",
        ),
        (
            "Critics of the housing plan, Critics of the say it favours developers.",
            "Critics of the housing plan, Critics of the",
        ),
    ],
)
def test_loop_spliced_into_running_text(text, target):
    assert spans(text, "REP002") == [target]


@pytest.mark.parametrize(
    "text,target",
    [
        ("The plant is a major a major employer in the valley.", "a major a major"),
        ("Sales rose by a third a third in the year to June.", "a third a third"),
        ("Prices fell in the UK, in the UK and in Ireland last year.", "in the UK, in the UK"),
        ("The team was beaten in the in the final minute.", "in the in the"),
        (
            "Shares in Northwind Traders Northwind Traders rose sharply.",
            "Northwind Traders Northwind Traders",
        ),
        ("Northwind said, Northwind said it would appeal.", "Northwind said, Northwind said"),
    ],
)
def test_immediate_repeats_of_short_phrases(text, target):
    assert spans(text, "REP002") == [target]


@pytest.mark.parametrize(
    "text",
    [
        # parallel clauses and list items repeat an opening on purpose
        "He met the mayor of Leeds, the mayor of York and the mayor of Hull.",
        "I love the city, I love the people and I love the food.",
        "The scheme is good for savers, good for borrowers and good for the economy.",
        "Families face very low wages, very low savings and rising rents.",
        "We will keep the station open, we will keep the line running.",
        "I love the old town, I love the harbour.",
        "Judge a computer on what it is, not what it is not.",
        "She has starred in Carry On at Sea, Carry On Dancing and other films.",
        "The argument goes on and on and on.",
        "He shouted no no no no until the crowd fell silent.",
    ],
)
def test_parallelism_and_reduplication_not_loops(text):
    assert found(text, "REP002") == []


def test_long_text_is_linear():
    # a loop at the end of a long text is still found; no pairwise comparison of the document
    filler = " ".join(f"Paragraph {k} reports ordinary news about item number {k}." for k in range(3000))
    text = filler + " The court heard charges of theft and fraud, charges of theft on Monday."
    assert spans(text, "REP002") == ["charges of theft and fraud, charges of theft"]


# --- shared data ----------------------------------------------------------------------------




def test_seed_003_loop_is_covered():
    text = seed_text("003")
    target = "their intentions, their strategy, their intentions"
    pos = text.index(target)
    assert any(f.start <= pos and f.end >= pos + len(target) for f in found(text, "REP002"))


def test_seed_001_clean_copy_has_no_repetition():
    assert found(seed_text("001")) == []




def test_false_positive_rate_on_bbc_test_split():
    texts = bbc_texts("test")
    words = 0
    hits = 0
    for text in texts:
        doc = Document(text)
        words += doc.word_count
        hits += len(repetition.detect(doc))
    # includes real slips in the BBC copy ("the the", "him since him since"), so an upper bound
    assert hits * 1000 / words <= 0.5, (hits, words)
