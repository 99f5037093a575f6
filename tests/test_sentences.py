"""broken-sentence family (BRK001-BRK005). All texts here are written for the tests."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from detector.families import sentences
from detector.text import Document

CLEAN = """Council leaders said on Tuesday that the new bridge would open in the spring, two years later than planned.

The project, which has cost more than £40m, was delayed by flooding in 2021 and by a shortage of steel. "We are nearly there," said the council's transport chief, Ann Morley. "The last section goes in next month."

Residents have complained about noise from the site at night. A spokesman for the builder said the work was needed to meet the deadline and apologised for the disruption.

The U.S. firm that supplied the cables, e.g. the main suspension set, said deliveries had resumed at 9 p.m. on Monday. Details are on the council website, example.gov.uk, he added... and more will follow.

Traffic on the old crossing rose 12% last year. Drivers queue for up to an hour at peak times.
"""


def _codes(text: str) -> list[str]:
    return [f.code for f in sentences.detect(text)]


def _only(text: str, code: str):
    return [f for f in sentences.detect(text) if f.code == code]


def test_family_and_codes():
    assert sentences.FAMILY == "broken-sentence"
    for f in sentences.detect(
        "The ministry said. the talks would resume in a week or two after the holiday."
    ):
        assert f.family == "broken-sentence"
        assert f.code.startswith("BRK")
        assert f.line == 0 and f.column == 0


def test_clean_text_has_no_findings():
    assert sentences.detect(CLEAN) == []


def test_empty_and_whitespace():
    assert sentences.detect("") == []
    assert sentences.detect("  \n\n ") == []


def test_accepts_document():
    doc = Document("The navy sent two ships to the northern coast. to protect the fishing fleet there.")
    assert [f.code for f in sentences.detect(doc)] == ["BRK001"]


# -- BRK001 -----------------------------------------------------------------------------------


def test_brk001_full_stop_before_lowercase():
    text = "The navy sent two frigates to the northern Atlantic. to reinforce its patrols in the area."
    (f,) = _only(text, "BRK001")
    assert text[f.start : f.end].startswith("Atlantic.")
    assert f.suggestion == "Atlantic to reinforce"
    assert "'to'" in f.message


@pytest.mark.parametrize(
    "text",
    [
        "Officials in the U.S. said the deal was close.",
        "Many sectors, e.g. farming and fishing, were hit.",
        "The vote closes at 10 p.m. on Thursday, officials said.",
        "He said the plan was ... and then stopped talking.",
        "Read the full report on bbc.com later today.",
        "Mr. smith did not comment.",
        "Tickets cost $5 approx. per person, said the organisers.",
        "The firm bought an iPhone maker. eBay said nothing.",
        "He talked to Dr. jones and others.",
        "1. the first item on the list\n2. the second item",
        # an abbreviated surname, as papers print suspects' names: the dot ends an initial
        "The police said Ahmet Can D. then left the house with his brother.",
    ],
)
def test_brk001_exclusions(text):
    assert _only(text, "BRK001") == []


def test_brk001_a_lower_case_one_letter_word_still_ends_a_sentence():
    (f,) = _only("The order was placed by the firm on plan a. then nothing happened at all.", "BRK001")
    assert f.suggestion == "a then nothing"


def test_brk001_offsets_are_exact():
    text = "Prices rose again in March.   and traders blamed the weather."
    (f,) = _only(text, "BRK001")
    assert text[f.start : f.end] == "March.   and traders"


# -- BRK002 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fragment",
    [
        "A sudden collapse of the fragile regional economy.",
        "Farmers and the Rising Cost of Feed.",
        "Fresh worries over the safety of the old dam.",
    ],
)
def test_brk002_verbless_fragment_in_prose(fragment):
    text = (
        "The storm damaged hundreds of homes along the coast. "
        + fragment
        + " Engineers expect repairs to take weeks."
    )
    found = _only(text, "BRK002")
    assert len(found) == 1
    assert text[found[0].start : found[0].end] == fragment


def test_brk002_one_sentence_paragraph_between_prose():
    prose = "The storm damaged hundreds of homes along the coast on Sunday night. Repairs will take weeks."
    frag = "A further blow to the struggling local tourist trade."
    text = f"{prose}\n\n{frag}\n\n{prose}"
    (f,) = _only(text, "BRK002")
    assert text[f.start : f.end] == frag
    # a Title Case line there is a stray heading (boilerplate family), not a fragment
    assert _only(f"{prose}\n\nThe Road to Recovery Ahead.\n\n{prose}", "BRK002") == []


@pytest.mark.parametrize(
    "text",
    [
        # headline / caption / sign-off lines are not body sentences
        "Storm damage along the northern coast\n\nThe storm damaged hundreds of homes. Repairs will take weeks.",
        "Rescue workers near the harbour wall\n\nThe storm damaged hundreds of homes.",
        "The storm damaged hundreds of homes.\n\nReporting by Jane Doe; editing by John Roe.",
        "The storm damaged hundreds of homes.\n\n- Relief for the families of fishermen.",
        # short fragments and quoted fragments are normal news style
        "The storm damaged homes. Not any more. Repairs will take weeks.",
        'The storm damaged homes. "A total disaster for all of us here." Repairs will take weeks.',
        # real verbs in various forms
        "The storm damaged homes. Officials say the harbour reopens on Friday. Crews work through the night.",
        "The storm damaged homes. This puts the council budget under pressure. It hurts.",
        "The storm damaged homes. Nadal wins another tight game in the second set. Play resumes later.",
        "The storm damaged homes. Ljubicic hit back after the break to seal the set. Play resumes later.",
        # an -s verb that is never a plural noun, after a word that looks like an adjective
        "The storm damaged homes. The five-metre-long animal weighs around a tonne. Play resumes later.",
        "The storm damaged homes. The local clinic remembers her with touching words. Crews work on.",
        # a verb form before its object or a particle, and a base form after a plural subject
        "The storm damaged homes. The harbour boss forecast a longer closure for the port. Crews work on.",
        "The storm damaged homes. Heavy rain and strong winds make up the rest of the week. Crews work on.",
        "The storm damaged homes. New versions of the flood map appear with each season. Crews work on.",
    ],
)
def test_brk002_not_flagged(text):
    assert _only(text, "BRK002") == []


# -- BRK003 -----------------------------------------------------------------------------------


def test_brk003_doubled_verb():
    text = "Officials said the number of displaced families climbs reaches 20,000 this week."
    (f,) = _only(text, "BRK003")
    assert text[f.start : f.end] == "climbs reaches"


def test_brk003_doubled_past():
    text = "Shares in the airline slumped dropped more than 8% on Monday after the warning."
    (f,) = _only(text, "BRK003")
    assert text[f.start : f.end] == "slumped dropped"


@pytest.mark.parametrize(
    "text",
    [
        "The minister said costs rose sharply last year.",
        "The government plans cuts to the budget.",
        "The company has increased its prices.",
        "She seemed surprised by the result.",
        "It follows concerns that the plant could close.",
        "The firm says exports grew 5% last year.",
        "He was reported injured in the attack.",
    ],
)
def test_brk003_not_flagged(text):
    assert _only(text, "BRK003") == []


# -- BRK004 -----------------------------------------------------------------------------------


def test_brk004_split_partial_quote():
    text = (
        "The minister said the talks were meant to “test their resolve, their plans and the sort of "
        "hard choices. The country needs to face.” Officials declined to comment."
    )
    found = _only(text, "BRK004")
    assert len(found) == 1
    assert "needs to face" in text[found[0].start : found[0].end]


def test_brk004_unclosed_quote():
    text = 'The mayor said: "We will rebuild the market this year and reopen it in May.\n\nShops nearby were also hit.'
    found = _only(text, "BRK004")
    assert len(found) == 1 and found[0].start == text.index('"')


def test_brk004_multi_paragraph_quote_is_fine():
    text = (
        'The mayor said: "We will rebuild the market this year.\n\n'
        '"The traders deserve nothing less, and we will not let them down."\n\n'
        "Shops nearby were also hit."
    )
    assert _only(text, "BRK004") == []


def test_brk004_quote_running_across_a_paragraph_break_is_fine():
    # copy laid out one sentence per paragraph: the quotation closes in the next paragraph
    text = (
        'The mayor said: "We will rebuild the market this year.\n\n'
        'The traders deserve nothing less." Shops nearby were also hit.'
    )
    assert _only(text, "BRK004") == []
    # ...but a paragraph that then opens a new quotation does not excuse the first one
    text2 = (
        'The mayor said: "We will rebuild the market this year.\n\n'
        'Traders said "nothing" had been promised. Shops nearby were also hit.'
    )
    assert len(_only(text2, "BRK004")) == 1


def test_brk004_quote_running_over_several_one_sentence_paragraphs_is_fine():
    from detector.families.sentences.brk004 import MAX_QUOTE_BREAKS

    opening = 'The mayor said: "We will rebuild the market this year.'
    middle = "The traders deserve nothing less and we owe it to them."
    closing = 'It will open again in May," she told reporters. Shops nearby were also hit.'
    # one quotation laid out one sentence per paragraph, the paragraphs between without marks
    text = "\n\n".join([opening, middle, middle, closing])
    assert _only(text, "BRK004") == []
    # further than MAX_QUOTE_BREAKS paragraphs apart it is two unbalanced paragraphs
    far = "\n\n".join([opening] + [middle] * MAX_QUOTE_BREAKS + [closing])
    assert [f.message for f in _only(far, "BRK004")] == [
        "quotation opened but never closed",
        "closing quotation mark without an opening one",
    ]
    # a paragraph between that opens a quotation of its own breaks the chain
    other = 'Traders said "nothing" had been promised to them.'
    assert len(_only("\n\n".join([opening, other, middle, closing]), "BRK004")) == 2


def test_brk004_run_together_quote_paragraphs_are_fine():
    text = 'He said: "We will rebuild it. "The traders deserve nothing less." Shops were hit.'
    assert _only(text, "BRK004") == []


def test_brk004_full_quotes_and_inches_are_fine():
    text = (
        '"We are ready," she said. "The team trained hard. Everyone is fit." '
        'The suspect is about 5\' 10" tall, police said. He called it "a fresh start."'
    )
    assert _only(text, "BRK004") == []


def test_brk004_other_quote_conventions_pair_up():
    text = "Sie sagte: „Wir sind bereit.“ He said ”we are ready” and left. «Non», a-t-il dit."
    assert _only(text, "BRK004") == []


def test_brk004_closing_without_opening():
    text = 'The plan, he said, was a good one," the minister told reporters on Monday.'
    found = _only(text, "BRK004")
    assert len(found) == 1 and found[0].severity == "info"


# -- BRK005 -----------------------------------------------------------------------------------


def test_brk005_truncated_last_paragraph():
    text = (
        "The storm damaged hundreds of homes along the coast.\n\n"
        "Engineers expect repairs to take weeks, the council said.\n\n"
        "Insurers said claims were rising. After a week of heavy rain, the council on Monday told resid"
    )
    found = _only(text, "BRK005")
    assert len(found) == 1
    assert found[0].end == len(text)
    assert "resid" in found[0].message


def test_brk005_truncated_teaser_mid_document():
    text = (
        "Main story text ends here as planned.\n\n"
        "  • Other story headline\n\n"
        "    The first sentence of the teaser is complete. The second sentence of the teaser stops in the midd\n\n"
        "  • Another story headline\n\n"
        "    Its teaser text is complete."
    )
    found = _only(text, "BRK005")
    assert len(found) == 1
    assert text[found[0].start : found[0].end].endswith("in the midd")


def test_brk005_single_long_last_line():
    text = (
        "The storm damaged hundreds of homes along the coast.\n\n"
        "Engineers expect repairs to take weeks, the council said.\n\n"
        "Insurers said claims were rising.\n\n"
        "After a week of heavy rain the council on Monday told residents of the lower town to leave their hom"
    )
    assert len(_only(text, "BRK005")) == 1


@pytest.mark.parametrize(
    "text",
    [
        "Storm hits coast\n\nThe storm damaged hundreds of homes. Repairs will take weeks.",
        "The storm damaged homes.\n\nRepairs will take weeks.\n\nSee also: Flood warnings for the weekend",
        "The storm damaged homes. Repairs will take weeks.\n\nRescue workers near the harbour wall on Monday",
        "The storm damaged homes. The council listed three priorities:\n\n- roads\n- power",
    ],
)
def test_brk005_not_flagged(text):
    assert _only(text, "BRK005") == []


# -- speed and real data --------------------------------------------------------------------------




SHARED = Path(
    os.environ.get("DETECTOR_SHARED_DATA", Path(__file__).resolve().parents[1].parent / "shared" / "data")
)


@pytest.mark.shared
def test_clean_bbc_false_rate():
    path = SHARED / "clean" / "bbc_news.jsonl"
    if not path.exists():
        pytest.skip(f"shared data not available at {path}")
    n_words = n_found = 0
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec.get("split") != "test":
                continue
            doc = Document("\n\n".join(rec["paragraphs"]))
            n_words += doc.word_count
            n_found += len(sentences.detect(doc))
    assert n_found * 1000 / n_words <= 0.5


@pytest.mark.shared
def test_seed_003_has_findings_and_001_is_clean():
    seeds = SHARED.parent / "seeds"
    if not seeds.exists():
        pytest.skip(f"seeds not available at {seeds}")
    bad = next(seeds.glob("003_*.txt"), None)
    good = next(seeds.glob("001_*.txt"), None)
    if bad is None or good is None:
        pytest.skip("seed files missing")
    codes = {f.code for f in sentences.detect(bad.read_text(encoding="utf-8"))}
    assert {"BRK001", "BRK002", "BRK003", "BRK004"} <= codes
    assert sentences.detect(good.read_text(encoding="utf-8")) == []
