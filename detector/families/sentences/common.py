"""Shared helpers of the broken-sentence family: the document context (words, sentences by
line), sentence ends, the liberal finite-verb test, message excerpts."""

from __future__ import annotations

import bisect
import re

from ...text import ABBREVIATIONS, Document
from .words import (
    _ADJECTIVES,
    _ADVERBS,
    _AMBIGUOUS_IRR,
    _CLOSERS,
    _FUNCTION_WORDS,
    _NOMINAL_CONTEXT,
    _SUBJECTLIKE,
    _SUFFIX_ADJ_RE,
    _TERMINAL,
    pres3_of_verb_only,
    verb_form,
)

FAMILY = "broken-sentence"

_TLDS = frozenset("com org net co uk gov edu io info biz de fr eu us".split())


def _is_abbrev_token(tok: str) -> bool:
    raw = tok.lstrip("(\"'“‘[")
    t = raw.lower()
    if not t:
        return True
    if t in ABBREVIATIONS:
        return True
    if len(t) == 1:
        # initials ("Ali Kemal S. in Pendik"), c. (circa), p. (page), v.; not "a."
        return not raw.islower() or t in "cpv"
    if "." in t:  # U.S, p.m, e.g, i.e, nbc.com; but not 21.8bn
        parts = t.split(".")
        if any(ch.isdigit() for ch in t):
            return False
        return all(len(x) <= 3 for x in parts[:-1]) or parts[-1] in _TLDS
    if t.endswith("."):  # ellipsis "..." -> token ends with dots
        return True
    return False


# --------------------------------------------------------------------------------------------
# Helpers over the document
# --------------------------------------------------------------------------------------------


class _Ctx:
    __slots__ = ("doc", "text", "wstarts", "words", "by_line")

    def __init__(self, doc: Document):
        self.doc = doc
        self.text = doc.text
        self.words = doc.words
        self.wstarts = [s for s, _ in self.words]
        self.by_line = _sentences_by_line(doc)

    def words_in(self, s: int, e: int) -> list[tuple[int, int]]:
        i, j = self.word_range(s, e)
        return self.words[i:j]

    def word_range(self, s: int, e: int) -> tuple[int, int]:
        """``(i, j)``: the words starting in ``[s, e)`` are ``words[i:j]``."""
        i = bisect.bisect_left(self.wstarts, s)
        return i, bisect.bisect_left(self.wstarts, e, i)


def _sentences_by_line(doc: Document) -> list[tuple[tuple[int, int], list[tuple[int, int]]]]:
    """Pair each line with the sentence spans inside it (sentences never cross lines)."""
    sents = doc.sentences
    out = []
    k = 0
    n = len(sents)
    for ls, le in doc.lines:
        group = []
        while k < n and sents[k][0] < ls:
            k += 1
        while k < n and sents[k][1] <= le:
            group.append(sents[k])
            k += 1
        out.append(((ls, le), group))
    return out


def _last_visible(text: str, s: int, e: int) -> int:
    """Index of the last character of text[s:e] that is not a closing quote/bracket (or -1)."""
    j = e - 1
    while j >= s and (text[j] in _CLOSERS or text[j].isspace()):
        j -= 1
    return j


def _ends_terminal(text: str, s: int, e: int) -> bool:
    j = _last_visible(text, s, e)
    return j >= s and text[j] in _TERMINAL


_PRONOUN_SUBJ = frozenset("i we you they he she it who which that there".split())
_NOT_S_VERB_RE = re.compile(r"(?:ss|us|is|ous|ics|ness|ies)$")


# words that open a verb's object or complete a phrasal verb
_OBJECT_STARTS = frozenset(
    "the a an some his her its their our my your this these those him them us me up".split()
)


def _has_finite_verb(
    text: str, words: list[tuple[int, int]], title: bool = False, strict: bool = False
) -> bool:
    """Liberal: True when any word could plausibly be a finite verb in context. ``strict`` only
    trusts lexicon verbs (no guessing from -s/-ed endings, no imperatives)."""
    prev = ""
    prev_raw = ""
    after_pron = False
    plural_before = False  # a plural-looking noun earlier in the sentence: a subject for a base form
    for idx, (s, e) in enumerate(words):
        raw = text[s:e]
        w = raw.lower().replace("’", "'")
        f = verb_form(w)
        nominal_prev = (
            prev in _NOMINAL_CONTEXT
            or prev in _ADJECTIVES
            or (prev_raw.islower() and bool(_SUFFIX_ADJ_RE.search(prev)))
        )
        if title and idx > 0 and not raw.islower():
            prev, prev_raw = w, raw
            continue  # in a Title Case line only lower-case words can be verbs
        if f == "aux":
            return True
        if (
            f in ("base", "pres3", "past")
            and not strict
            and idx + 1 < len(words)
            and text[words[idx + 1][0] : words[idx + 1][1]].lower() in _OBJECT_STARTS
        ):
            # a verb form before its object or particle ("the boss forecast a longer spell",
            # "dance music makes up the list", "Or buy some software"): on clean BBC copy most
            # BRK002 fragments had such a verb that the context tests below missed
            return True
        if f == "pres3" and idx > 0 and pres3_of_verb_only(w):
            return True  # "the clinic remembers": never a plural noun, whatever precedes it
        if f == "irr":
            if w not in _AMBIGUOUS_IRR or not (nominal_prev or (idx == 0 and w != "let")):
                return True
        elif f == "base":
            if (
                prev in _SUBJECTLIKE
                or after_pron
                or prev.endswith("ly")
                or (
                    idx > 0
                    and prev.endswith("s")
                    and not _NOT_S_VERB_RE.search(prev)
                    and prev not in _NOMINAL_CONTEXT
                )
            ):
                return True
            if idx > 0 and not nominal_prev and prev not in _FUNCTION_WORDS and not prev_raw.islower():
                return True  # "Arsenal go", "Sohu.com maintain"
            if plural_before and not strict and not nominal_prev and prev_raw.islower() and prev not in _FUNCTION_WORDS:
                return True  # "new versions of its browser appear with", "Firms signing up ... include"
            if idx == 0 and not strict and raw[:1].isupper():  # imperative
                return True
        elif strict:
            if f in ("past", "pres3") and idx > 0 and not nominal_prev:
                return True
        elif raw.islower() or idx == 0:
            if after_pron and w not in _NOMINAL_CONTEXT and not w.endswith("ing"):
                return True
            if f == "past" or (w.endswith("ed") and len(w) > 4):
                if idx == 0:
                    # "Asked about ..., he", "Founded in 1990, the firm": participle + preposition;
                    # "Renewed fighting ..." is an adjective.
                    if len(words) > 1:
                        nxt = text[words[1][0] : words[1][1]].lower()
                        if nxt in _NOMINAL_CONTEXT or nxt.endswith("ly") or "," in text[e : words[1][0]]:
                            return True
                elif prev not in _NOMINAL_CONTEXT or prev in ("this", "that"):
                    return True
            elif w.endswith("s") and idx > 0 and len(w) > 3 and not _NOT_S_VERB_RE.search(w):
                if prev in ("this", "that") or (not nominal_prev and prev not in _FUNCTION_WORDS):
                    return True
            elif f == "pres3" and idx > 0 and not nominal_prev:
                return True
        if f != "pres3" and len(w) > 3 and w.endswith("s") and not _NOT_S_VERB_RE.search(w):
            plural_before = plural_before or w not in _NOMINAL_CONTEXT
        if w in _PRONOUN_SUBJ and idx < len(words) - 1:
            after_pron = True
        elif w not in _ADVERBS:
            after_pron = False
        prev = w
        prev_raw = raw
    return False


def _short(s: str, n: int = 60) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"
