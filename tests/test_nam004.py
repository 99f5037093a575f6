"""NAM004: a capitalised word LanguageTool does not know is a name misspelling only with
corroboration; otherwise at most an opt-in note that no model counts (issue 12, item 5).

The pure tests feed :func:`detector.families.grammar.to_result` LanguageTool's match format
(``[rule, category, issue_type, start, end, message, replacements]``) for words we choose; the
``languagetool`` tests use the real server. All text here is written for these tests.
"""

from __future__ import annotations

import pytest
from test_grammar import fresh_checker, lt_server  # noqa: F401  (session fixture)

from detector import gazetteer as gz
from detector.families import grammar as g
from detector.families import names
from detector.findings import Finding
from detector.scoring import Evidence


@pytest.fixture(autouse=True)
def _clean(monkeypatch):
    monkeypatch.delenv("DETECTOR_NAMES", raising=False)
    monkeypatch.delenv(names.NAM004_NOTES_ENV, raising=False)
    gz.set_user_gazetteer([])
    yield
    gz.set_user_gazetteer([])


def spelling_match(text: str, word: str, nth: int = 0, repl=("Rajah",)) -> list:
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    return ["MORFOLOGIK_RULE_EN_US", "TYPOS", "misspelling", start, start + len(word), "Possible spelling mistake found.", list(repl)]


RAFAH = "Aid lorries waited at the crossing into Rafah on Tuesday, officials said."


def nam004(result):
    return [(f.family, f.severity, f.suggestion) for f in result.findings if f.code == "NAM004"]


def test_uncorroborated_unknown_word_gives_nothing_by_default():
    r = g.to_result(RAFAH, [spelling_match(RAFAH, "Rafah")])
    assert nam004(r) == []
    assert r.unknown_names == [(RAFAH.index("Rafah"), RAFAH.index("Rafah") + 5)]
    assert r.rates["lt_total_per100w"] > 0  # LanguageTool's rates still count the match


def test_notes_are_opt_in_and_never_weigh_in_the_score(monkeypatch):
    monkeypatch.setenv(names.NAM004_NOTES_ENV, "1")
    r = g.to_result(RAFAH, [spelling_match(RAFAH, "Rafah")])
    assert nam004(r) == [("note", "info", "Rajah")]
    from detector import features

    cols = features.feature_names(grammar=True)
    stats = {"words": 12.0}
    with_note = features.evidence_matrix([Evidence(findings=r.findings, stats=stats)], cols)
    without = features.evidence_matrix([Evidence(findings=[], stats=stats)], cols)
    assert (with_note == without).all()


def test_another_spelling_in_the_article_corroborates():
    text = (
        "President Zelensky spoke in Kyiv on Monday. Zelensky said the talks would go on. "
        "Later, Zelenksy thanked the allies."
    )
    r = g.to_result(text, [spelling_match(text, "Zelenksy", repl=("Zelensky",))])
    assert nam004(r) == [("name", "warning", "Zelensky")]
    assert "used 2 times in this article" in r.findings[0].message


def test_a_real_name_one_letter_from_another_is_not_corroboration():
    # a substituted letter often makes another real name; a different ending is a derived form
    text = "Hamas said Hamas would reply. Sheikh Hamad bin Jassim met them. The two Koreas and the Korean and Korean talks."
    matches = [spelling_match(text, "Hamad"), spelling_match(text, "Koreas")]
    assert nam004(g.to_result(text, matches)) == []
    assert not names.typing_slip("hamad", "hamas") and not names.typing_slip("koreas", "korean")
    assert names.typing_slip("zelenksy", "zelensky") and names.typing_slip("ayodya", "ayodhya")


def test_typing_slip_of_a_known_word_corroborates():
    from detector.families.fluency_lm import lm_available

    if not lm_available():
        pytest.skip("general-English language model not available")
    text = "The match at Capmbell Park was postponed."
    r = g.to_result(text, [spelling_match(text, "Capmbell", repl=("Campbell",))])
    assert nam004(r) == [("name", "warning", "Campbell")]


def test_batch_agreement_corroborates():
    texts = [
        "Later, Brannoviak thanked the allies.",
        "Brannoviack spoke in Kyiv on Monday.",
        "Talks with Brannoviack went on all day.",
    ]
    results = [g.to_result(texts[0], [spelling_match(texts[0], "Brannoviak", repl=())])]
    results += [g.to_result(t, []) for t in texts[1:]]
    assert nam004(results[0]) == []
    g.corroborate_batch(texts, results)
    assert nam004(results[0]) == [("name", "warning", "Brannoviack")]
    assert "2 other articles of this batch" in results[0].findings[0].message
    assert results[0].unknown_names == []


def test_names_file_marks_the_word_known_for_nam004(tmp_path, monkeypatch):
    monkeypatch.setenv(names.NAM004_NOTES_ENV, "1")
    text = (
        "President Zelensky spoke in Kyiv on Monday. Zelensky said the talks would go on. "
        "Later, Zelenksy thanked the allies in Rafah."
    )
    matches = [spelling_match(text, "Zelenksy", repl=("Zelensky",)), spelling_match(text, "Rafah")]
    assert [f.family for f in g.to_result(text, matches).findings] == ["name", "note"]
    names_file = tmp_path / "names.txt"
    names_file.write_text("Volodymyr Zelenksy\nRafah\n", encoding="utf-8")
    gz.set_user_gazetteer([str(names_file)])
    assert g.to_result(text, matches).findings == []
    # and through $DETECTOR_NAMES
    gz.set_user_gazetteer([])
    monkeypatch.setenv("DETECTOR_NAMES", str(names_file))
    gz.reset()
    assert g.to_result(text, matches).findings == []


def test_names_file_marks_the_word_known_for_the_other_name_checks(tmp_path):
    from detector.families.fluency_lm import lm_available

    if not lm_available():
        pytest.skip("general-English language model not available")
    text = "The match at Capmbell Park was postponed."
    assert [f.code for f in names.detect(text)] == ["NAM006"]
    names_file = tmp_path / "names.txt"
    names_file.write_text("Capmbell\n", encoding="utf-8")
    gz.set_user_gazetteer([str(names_file)])
    assert names.detect(text) == []


def test_dedupe_keeps_one_finding_per_name_span():
    from detector.analysis import dedupe as _dedupe

    a = Finding("name", "NAM001", 0, 15, "near miss", "Antony Blinken")
    b = Finding("name", "NAM004", 0, 7, "unknown", "Anthony", "warning")
    assert _dedupe([a, b]) == [a]


# -- with the real LanguageTool server ---------------------------------------------------------


@pytest.mark.languagetool
def test_real_languagetool_nam004_silenced_by_names_file(lt_server, tmp_path):  # noqa: F811
    text = (
        "President Zelensky spoke in Kyiv on Monday. Zelensky said the talks would go on. "
        "Later, Zelenksy thanked the allies."
    )
    (r,) = fresh_checker().check_many([text])
    assert not r.error
    got = [(text[f.start : f.end], f.severity) for f in r.findings if f.code == "NAM004"]
    assert got == [("Zelenksy", "warning")]
    names_file = tmp_path / "names.txt"
    names_file.write_text("Volodymyr Zelenksy\n", encoding="utf-8")
    gz.set_user_gazetteer([str(names_file)])
    (r,) = fresh_checker().check_many([text])
    assert [f for f in r.findings if f.code == "NAM004"] == []


@pytest.mark.languagetool
def test_real_languagetool_unknown_place_name_is_no_finding(lt_server):  # noqa: F811
    (r,) = fresh_checker().check_many([RAFAH])
    assert not r.error
    assert [f for f in r.findings if f.code == "NAM004"] == []
    assert any(RAFAH[s:e] == "Rafah" for s, e in r.unknown_names)
