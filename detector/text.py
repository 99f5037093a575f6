"""Shared, cheap text segmentation used by every detector family.

A :class:`Document` wraps the original text and lazily computes spans of lines, paragraphs,
sentences and words. All spans are ``(start, end)`` character offsets into ``Document.text``;
nothing here ever changes the text. Detectors accept either a string or a Document
(:func:`as_document`) so they stay testable on a plain string while a pipeline computes the
segmentation once per article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

WORD_RE = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
_PARA_SPLIT_RE = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_LINE_RE = re.compile(r"[^\n]+")

# Abbreviations after which a full stop does not end a sentence (lower-cased, without the dot).
ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof sr jr st mt ft gen col lt sgt capt cmdr adm gov sen rep rev hon pres
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun
    no nos vol vols fig figs p pp ed eds est approx dept univ assn bros co corp inc ltd plc llc
    vs v etc al e.g i.e cf u.s u.k u.n u.s.a e.u a.m p.m
    """.split()
)

# A sentence ends at . ! ? (optionally followed by closing quotes/brackets) + whitespace.
_SENT_END_RE = re.compile(r"([.!?…]+)([\"'”’)\]]*)(\s+)")


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


class Document:
    """Original text plus lazily computed segmentation (all offsets into ``text``)."""

    def __init__(self, text: str):
        self.text = text

    # -- lines: every non-empty line, stripped of surrounding spaces -------------------------
    @cached_property
    def lines(self) -> list[tuple[int, int]]:
        out = []
        text = self.text
        for m in _LINE_RE.finditer(text):
            s, e = m.start(), m.end()
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if e > s:
                out.append((s, e))
        return out

    # -- paragraphs: blocks separated by blank lines -----------------------------------------
    @cached_property
    def paragraphs(self) -> list[tuple[int, int]]:
        out = []
        text = self.text
        pos = 0
        for m in _PARA_SPLIT_RE.finditer(text):
            _append_stripped(text, pos, m.start(), out)
            pos = m.end()
        _append_stripped(text, pos, len(text), out)
        return out

    # -- sentences: within each line (a sentence never crosses a line break) ----------------
    @cached_property
    def sentences(self) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        for s, e in self.lines:
            out.extend(split_sentences(self.text, s, e))
        return out

    # -- words ---------------------------------------------------------------------------------
    @cached_property
    def words(self) -> list[tuple[int, int]]:
        return [m.span() for m in WORD_RE.finditer(self.text)]

    @cached_property
    def word_texts(self) -> list[str]:
        """The text of each word of :attr:`words` (``text[s:e]``), computed once."""
        t = self.text
        return [t[s:e] for s, e in self.words]

    @cached_property
    def lower_words(self) -> list[str]:
        """Each word of :attr:`words` lower-cased on its own (``text[s:e].lower()``), computed
        once for the families that compare words without case. Joined with single spaces they
        are the lower-cased join of the words: a space is neither cased nor case-ignorable, so
        it stops the context of a final sigma as the end of a word does."""
        return list(map(str.lower, self.word_texts))

    @cached_property
    def word_count(self) -> int:
        return len(self.words)

    @cached_property
    def sentence_words(self) -> list[list[tuple[int, int]]]:
        """The word spans of each sentence (one list per entry of :attr:`sentences`): the same
        spans as ``WORD_RE.finditer(text, s, e)`` over the sentence, taken from :attr:`words`
        (a word never crosses a sentence boundary: sentences split at whitespace, and what lies
        between and around them is whitespace), so families that work per sentence need not
        tokenise the text again."""
        words = self.words
        out: list[list[tuple[int, int]]] = []
        i, n = 0, len(words)
        for s, e in self.sentences:
            while i < n and words[i][0] < s:
                i += 1
            j = i
            while j < n and words[j][1] <= e:
                j += 1
            out.append(words[i:j])
            i = j
        return out

    def span_text(self, span: tuple[int, int]) -> str:
        return self.text[span[0] : span[1]]


def _append_stripped(text: str, s: int, e: int, out: list) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s:
        out.append((s, e))


def _is_abbreviation(text: str, dot: int, start: int) -> bool:
    """True when the '.' at ``dot`` closes an abbreviation or initial, not a sentence."""
    j = dot
    while j > start and (text[j - 1].isalpha() or text[j - 1] == "."):
        j -= 1
    token = text[j:dot].lower()
    if not token:
        return False
    if token in ABBREVIATIONS:
        return True
    # single capital initial ("John F. Kennedy"), or dotted acronym ("U.S", "a.m")
    if len(token) == 1 and text[j].isupper():
        return True
    if "." in token and all(len(p) <= 2 for p in token.split(".")):
        return True
    return False


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` into sentence spans.

    A boundary is ``.``/``!``/``?`` (plus closing quotes) followed by whitespace, except after
    known abbreviations and initials, or when the next character is a lower-case letter or a
    digit following an abbreviation. Deliberately simple and fast; news copy is well punctuated,
    and the spans only need to be good enough to localise findings.
    """
    if end is None:
        end = len(text)
    out = []
    s = start
    for m in _SENT_END_RE.finditer(text, start, end):
        punct_start = m.start(1)
        nxt = m.end()
        if nxt >= end:
            break
        if text[punct_start] == "." and m.group(1) == "." and _is_abbreviation(text, punct_start, s):
            continue
        # "... 3.5" etc. cannot happen (needs whitespace). A lower-case continuation after a full
        # stop is still a boundary: broken-sentence detection wants to see it.
        e = m.end(2)
        if e > s:
            out.append((s, e))
        s = nxt
    if end > s:
        e = end
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def scrub_surrogates(text: str) -> str:
    """``text`` with every unpaired UTF-16 surrogate (a code point no UTF-8 encoder accepts, e.g.
    from a JSON ``"\\ud83d"`` escape) replaced by U+FFFD. One code point for one, so offsets into
    the result are offsets into ``text``."""
    return _SURROGATE_RE.sub("\ufffd", text) if _SURROGATE_RE.search(text) else text


def as_document(text_or_doc: str | Document) -> Document:
    if isinstance(text_or_doc, Document):
        return text_or_doc
    return Document(text_or_doc)
