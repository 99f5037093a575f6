"""BRK002: a verbless fragment in running prose.

Flagged: a sentence in running prose (a line with two or more sentences, or a one-sentence
paragraph between two prose paragraphs) with no word that could be a finite verb
(:func:`.common._has_finite_verb`, deliberately liberal so only clear fragments are reported).

Not flagged: headlines, captions, sign-offs, bullets, quotes, lists, title-case lines and
short lines (< 5 words); the piece after a BRK001 break (same evidence).
"""

from __future__ import annotations

import re
from operator import itemgetter

from ...findings import Finding
from .common import FAMILY, _Ctx, _ends_terminal, _has_finite_verb, _short
from .words import _MONTHS, _SIGNOFF_RE

_SMALL = frozenset({"and", "of", "the", "a", "an", "in", "on", "for", "to", "at", "with", "by", "or"})


def _is_title_case(text: str, words: list[tuple[int, int]]) -> bool:
    return _title_case_texts([text[s:e] for s, e in words])


def _title_case_texts(texts: list[str]) -> bool:
    """Title Case: every word but the small ones capitalised, and at least two capitalised."""
    caps = 0
    for w in texts:
        if w.lower() in _SMALL:
            continue
        if not w[:1].isupper():
            return False
        caps += 1
    return caps >= 2


_SKIP_FRAGMENT_RE = re.compile(r"[\"“”«»:;(]")
_FIRST = itemgetter(0)


def _brk002_candidate(text: str, s: int, e: int, words: list[str], n_in_line: int) -> bool | None:
    """Is the sentence ``text[s:e]`` (its words' texts: ``words``) a fragment candidate? None
    when not; else whether it is in Title Case."""
    if n_in_line < 2 or len(words) < 5 or len(words) > 25:
        return None
    if not text[s].isupper():
        return None  # lower-case starts are BRK001's business; bullets, numbers, quotes
    if text[e - 1] != ".":
        return None
    seg = text[s:e]
    if _SKIP_FRAGMENT_RE.search(seg):
        return None
    if sum(map((3).__le__, map(len, words))) < 3:
        return None  # S.T.A.L.K.E.R., initials
    if _SIGNOFF_RE.match(seg):
        return None
    firsts = list(map(_FIRST, words))  # each word's first character (a word is never empty)
    digits = sum(map(str.isdigit, firsts))
    if digits * 3 > len(words):
        return None
    lower = sum(map(str.islower, firsts))
    title = _title_case_texts(words)
    if not title and lower * 2 < len(words):
        return None  # name lists, line-ups
    if words[-1].lower() in _MONTHS:
        return None
    return title


def _prose_line(text: str, line, sents) -> bool:
    """A line of running prose: two or more sentences, or one long sentence ending in . ! ?"""
    return len(sents) >= 2 or (line[1] - line[0] > 80 and _ends_terminal(text, line[0], line[1]))


def _brk002(ctx: _Ctx, out: list[Finding]) -> None:
    text = ctx.text
    texts = ctx.doc.word_texts
    by_line = ctx.by_line
    nlines = len(by_line)
    for li, (_line, sents) in enumerate(by_line):
        n = len(sents)
        if n == 1:
            # a one-sentence paragraph counts as body text only between two prose paragraphs
            if not (
                0 < li < nlines - 1
                and _prose_line(text, *by_line[li - 1])
                and _prose_line(text, *by_line[li + 1])
            ):
                continue
            n = 2 if not _is_title_case(text, ctx.words_in(*sents[0])) else 1  # headings: boilerplate
        for s, e in sents:
            i, j = ctx.word_range(s, e)
            title = _brk002_candidate(text, s, e, texts[i:j], n)
            if title is not None and not _has_finite_verb(text, ctx.words[i:j], title):
                frag = text[s:e]
                out.append(
                    Finding(
                        FAMILY,
                        "BRK002",
                        s,
                        e,
                        f"sentence without a verb: '{_short(frag)}'",
                        None,
                        "warning",
                    )
                )
