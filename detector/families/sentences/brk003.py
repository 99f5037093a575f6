"""BRK003: doubled verbs ("passes tops 5,000").

Flagged: two adjacent finite forms of lexicon verbs in the same tense followed by a number or
determiner.

Not flagged: after be-auxiliaries; linking verbs; noun-like irregulars ("hit", "cut");
reporting verbs except before a determiner; pairs across punctuation.
"""

from __future__ import annotations

from ...findings import Finding
from .common import FAMILY, _Ctx
from .words import (
    _ADVERBS,
    _AMBIGUOUS_IRR,
    _AUX,
    _CLAUSE_TAKING,
    _FORM_CACHE,
    _LINKING,
    _NOMINAL_CONTEXT,
    _OBJECT_START,
    _STRICT_OBJECT,
    _SUFFIX_ADJ_RE,
    verb_form,
)

_FINITE = frozenset(("pres3", "past", "irr"))
_PERSONAL_PRONOUNS = frozenset("i we you they he she it".split())
_HAVE = frozenset("has have had having 've".split())


def _brk003(ctx: _Ctx, out: list[Finding]) -> None:
    """Doubled verbs over the document's words (pairs never cross punctuation): each word's verb
    form (a lower-case word's :func:`verb_form`, else none: the verb lexicon is lower-case), looked
    up for all words at once in the memo and computed for the words it lacks; then each finite
    form after a finite form is checked, in text order."""
    texts = ctx.doc.word_texts
    forms = list(map(_FORM_CACHE.get, texts))
    i = -1
    try:
        while True:
            i = forms.index(None, i + 1)
            w = texts[i]
            forms[i] = verb_form(w) if w.islower() else ""
    except ValueError:
        pass  # no word left without its form
    finite = list(map(_FINITE.__contains__, forms))
    last = len(forms) - 1
    i = 0
    try:
        while True:
            i = finite.index(True, i + 1)
            if finite[i - 1] and i < last:
                _check_double(ctx, i, texts[i - 1], forms[i - 1], texts[i], forms[i], out)
    except ValueError:
        pass  # no finite form left


def _check_double(ctx: _Ctx, i: int, w1: str, f1: str, w2: str, f2: str, out: list[Finding]) -> None:
    text = ctx.text
    words = ctx.words
    s1, e1 = words[i - 1]
    s2, e2 = words[i]
    if text[e1:s2] != " " or w1 in _LINKING:
        return
    t1 = "s" if f1 == "pres3" or w1.endswith("s") else "d"
    t2 = "s" if f2 == "pres3" or w2.endswith("s") else "d"
    if t1 != t2:
        return
    if f1 == "irr" and f2 == "irr":
        return  # "hit cost", "cut set": too ambiguous
    if w1 in _AMBIGUOUS_IRR or (f2 == "irr" and w2 in _AMBIGUOUS_IRR):
        return  # "helped put her", "the hit topped"
    if i >= 2:
        p = text[words[i - 2][0] : words[i - 2][1]].lower()
        if p in _NOMINAL_CONTEXT or _SUFFIX_ADJ_RE.search(p):
            return  # "the plans cuts", "rising costs rose"
        if w1 in _CLAUSE_TAKING and p in _PERSONAL_PRONOUNS:
            return  # "which he claims proves", "that she believed strengthened"
        k = i - 2
        while k > 0 and (p in _ADVERBS or p.endswith("ly")):
            k -= 1
            p = text[words[k][0] : words[k][1]].lower()
        if p in _AUX and (p not in _HAVE or f1 != "past"):
            return  # "was introduced remained"; but "has continued jumped its" is doubled
    s3, e3 = words[i + 1]
    between = text[e2:s3]
    if between.strip() not in ("", "$", "£", "€"):
        return
    w3 = text[s3:e3].lower()
    numeric = w3[:1].isdigit() or bool(between.strip())
    if w1 in _CLAUSE_TAKING:
        if not (numeric or w3 in _STRICT_OBJECT):
            return
    elif not (numeric or w3 in _OBJECT_START):
        return
    out.append(Finding(FAMILY, "BRK003", s1, e2, f"two verbs in a row: '{w1} {w2}'", None, "warning"))
