"""BRK002: a verbless fragment in running prose.

Flagged: a sentence in running prose (a line with two or more sentences, or a one-sentence
paragraph between two prose paragraphs) with no word that could be a finite verb
(:func:`.common._has_finite_verb`, deliberately liberal so only clear fragments are reported).

Not flagged: headlines, captions, sign-offs, bullets, quotes, lists, title-case lines and
short lines (< 5 words); the piece after a BRK001 break (same evidence).
"""

from __future__ import annotations

import re

from ...findings import Finding
from .common import FAMILY, _Ctx, _ends_terminal, _has_finite_verb, _short
from .words import _MONTHS, _SIGNOFF_RE


def _is_title_case(text: str, words: list[tuple[int, int]]) -> bool:
    small = {"and", "of", "the", "a", "an", "in", "on", "for", "to", "at", "with", "by", "or"}
    caps = 0
    for s, e in words:
        w = text[s:e]
        if w.lower() in small:
            continue
        if not w[:1].isupper():
            return False
        caps += 1
    return caps >= 2


_SKIP_FRAGMENT_RE = re.compile(r"[\"“”«»:;(]")


def _brk002_candidate(text: str, s: int, e: int, words: list[tuple[int, int]], n_in_line: int) -> bool:
    if n_in_line < 2 or len(words) < 5 or len(words) > 25:
        return False
    if not text[s].isupper():
        return False  # lower-case starts are BRK001's business; bullets, numbers, quotes
    if text[e - 1] != ".":
        return False
    seg = text[s:e]
    if _SKIP_FRAGMENT_RE.search(seg):
        return False
    if sum(1 for a, b in words if b - a >= 3) < 3:
        return False  # S.T.A.L.K.E.R., initials
    if _SIGNOFF_RE.match(seg):
        return False
    digits = sum(1 for a, b in words if text[a].isdigit())
    if digits * 3 > len(words):
        return False
    lower = sum(1 for a, b in words if text[a].islower())
    title = _is_title_case(text, words)
    if not title and lower * 2 < len(words):
        return False  # name lists, line-ups
    if text[words[-1][0] : words[-1][1]].lower() in _MONTHS:
        return False
    return True


def _prose_line(text: str, line, sents) -> bool:
    """A line of running prose: two or more sentences, or one long sentence ending in . ! ?"""
    return len(sents) >= 2 or (line[1] - line[0] > 80 and _ends_terminal(text, line[0], line[1]))


def _brk002(ctx: _Ctx, out: list[Finding]) -> None:
    text = ctx.text
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
            words = ctx.words_in(s, e)
            if _brk002_candidate(text, s, e, words, n) and not _has_finite_verb(
                text, words, _is_title_case(text, words)
            ):
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
