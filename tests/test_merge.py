"""One finding per problem (detector/merge.py, applied by analysis.dedupe).

Texts written for these tests. The ``languagetool`` test needs the real LanguageTool server.
"""

from __future__ import annotations

import pytest

import detector
from detector import api, merge
from detector.findings import Finding

BODY = [
    "Harbour plan approved",
    "The council approved the harbour plan on Tuesday after a long debate about costs and the "
    "effect on fishing boats in the bay.",
    "Officials said work would begin in the spring and take about two years to finish, with the "
    "quay closed for part of that time. Funding and the Regional Budget.",
    "The regional government will pay most of the cost, and the rest will come from harbour fees "
    "charged to ferry companies over ten years.",
    "Local fishermen said they were pleased that the new breakwater would protect their boats "
    "during the winter storms.",
]
HEADING_GLUED = "\n\n".join(BODY)
HEADING = "Funding and the Regional Budget."


def _f(code, start, end, family="repetition", msg="m", severity="warning"):
    return Finding(family, code, start, end, msg, severity=severity)


def test_stray_heading_is_one_boilerplate_finding(monkeypatch):
    start = HEADING_GLUED.index(HEADING)
    span = (start, start + len(HEADING))
    # both detectors do report the heading (so the merge below has something to do)
    monkeypatch.setattr(merge, "MERGE_RULES", ())
    raw = [(f.code, (f.start, f.end)) for f in detector.check(HEADING_GLUED, grammar="off")]
    assert ("BOI004", span) in raw and ("BRK002", span) in raw
    monkeypatch.undo()

    found = detector.check(HEADING_GLUED, grammar="off")
    on_heading = [f for f in found if (f.start, f.end) == span]
    assert [f.code for f in on_heading] == ["BOI004"]
    assert on_heading[0].message.endswith("(also BRK002)")
    # what is scored is the merged evidence
    [rep] = api.score([HEADING_GLUED], grammar="off")
    assert [f.code for f in rep.findings if (f.start, f.end) == span] == ["BOI004"]


def test_merge_keeps_the_project_code_and_names_the_other_source():
    rep = _f("REP001", 10, 17, msg='word repeated: "the the"')
    lt = _f("ENGLISH_WORD_REPEAT_RULE", 10, 17, family="grammar")
    brk = _f("BRK003", 10, 17, family="broken-sentence")
    out = merge.merge([lt, rep, brk])
    assert [f.code for f in out] == ["REP001"]
    assert out[0].message == 'word repeated: "the the" (also LanguageTool ENGLISH_WORD_REPEAT_RULE, BRK003)'


def test_merge_needs_the_dropped_span_inside_the_kept_one():
    loop = _f("REP002", 0, 40)
    inside = _f("PHRASE_REPETITION", 20, 40, family="grammar")
    partial = _f("BRK004", 35, 50, family="broken-sentence")
    elsewhere = _f("ENGLISH_WORD_REPEAT_RULE", 60, 67, family="grammar")
    out = merge.merge([loop, inside, partial, elsewhere])
    assert [f.code for f in out] == ["REP002", "BRK004", "ENGLISH_WORD_REPEAT_RULE"]
    assert "(also LanguageTool PHRASE_REPETITION)" in out[0].message


def test_different_problems_in_one_span_are_not_merged():
    # a possible name misspelling inside a teaser block is a separate problem
    block = _f("BOI005", 0, 200, family="boilerplate")
    name = _f("NAM004", 50, 57, family="name", severity="info")
    assert merge.merge([block, name]) == [block, name]
    # rule table sanity: every rule says why, and no rule drops a code it also keeps
    for rule in merge.MERGE_RULES:
        assert rule.why and rule.keep != rule.drop


@pytest.mark.languagetool
def test_the_the_is_one_rep001_naming_languagetool(lt_checker):
    text = "The minister said the the harbour would reopen in the spring."
    span = (text.index("the the"), text.index("the the") + len("the the"))
    [raw] = lt_checker.check_many([text])
    assert not raw.error
    assert ("ENGLISH_WORD_REPEAT_RULE", span) in [(f.code, (f.start, f.end)) for f in raw.findings]
    found = detector.check(text, grammar=lt_checker)
    on_span = [f for f in found if (f.start, f.end) == span]
    assert [f.code for f in on_span] == ["REP001"]
    assert "(also LanguageTool ENGLISH_WORD_REPEAT_RULE)" in on_span[0].message
    assert not any(f.code == "ENGLISH_WORD_REPEAT_RULE" for f in found)
