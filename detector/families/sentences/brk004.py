"""BRK004: split or unbalanced quotations.

Flagged: a partial quotation (opened mid-sentence in lower case) that breaks into a new short
capitalised sentence before closing; a quotation mark left unbalanced in a paragraph.

Not flagged: multi-paragraph quotes whose next paragraph re-opens with a quote mark, the same
convention with the paragraphs run together, and one quotation running across paragraph breaks
(up to :data:`MAX_QUOTE_BREAKS`, through paragraphs without quote marks) into a later
paragraph's closing mark.
"""

from __future__ import annotations

import re

from ...findings import Finding
from .common import FAMILY, _Ctx, _ends_terminal, _short
from .words import _CLOSERS, _TERMINAL

_QUOTE_MARK_RE = re.compile(r"[\"“”„«»]")
_OPENING_GLYPHS = "“„«"


def _quote_spans(text: str, ps: int, pe: int):
    """Yield (kind, pos) for quote marks in a paragraph: kind 'open'/'close'. The direction comes
    from the position (space before and a word after = opening; a word before and a space or
    punctuation after = closing), so „German“ and ”Nordic” conventions pair up; the glyph
    decides only when the position does not."""
    for m in _QUOTE_MARK_RE.finditer(text, ps, pe):
        c = m.group()
        i = m.start()
        before = text[i - 1] if i > ps else " "
        after = text[i + 1] if i + 1 < pe else " "
        if before.isdigit() and c == '"':
            continue  # 5' 10" (inches)
        if i > ps and before.isspace() and after.isspace():
            k = i - 1
            while k > ps and text[k].isspace():
                k -= 1
            yield ("close" if text[k] in ",.!?;:" else "open"), i
        elif before.isspace() or before in "([—–-" or i == ps:
            yield "open", i
        elif after.isspace() or after in ".,;:!?)]—–-" or i + 1 == pe:
            yield "close", i
        elif c in _OPENING_GLYPHS or (c == '"' and before in "([{"):
            yield "open", i
        else:
            yield "close", i


def _brk004(ctx: _Ctx, out: list[Finding]) -> None:
    text = ctx.text
    paras = ctx.doc.paragraphs
    for pi, (ps, pe) in enumerate(paras):
        stack: list[int] = []
        unmatched_close: list[int] = []
        for kind, pos in _quote_spans(text, ps, pe):
            if kind == "open":
                if stack:
                    # A second opening before a close. At a sentence start this is the
                    # multi-paragraph convention with the paragraphs run together: fine.
                    if not _at_sentence_start(text, pos, ps):
                        _check_unclosed(ctx, paras, pi, stack[-1], pos, out, nested=True)
                    stack.clear()
                stack.append(pos)
            else:
                if stack:
                    _check_split_quote(ctx, stack.pop(), pos, out)
                else:
                    unmatched_close.append(pos)
        if stack and not _next_para_closes_first(text, paras, pi):
            _check_unclosed(ctx, paras, pi, stack[-1], pe, out, nested=False)
        for pos in unmatched_close:
            # a paragraph continuing a multi-paragraph quote may legally close without opening
            if _continues_quote(ctx, paras, pi):
                continue
            if pos == ps:
                continue
            out.append(
                Finding(
                    FAMILY,
                    "BRK004",
                    pos,
                    pos + 1,
                    "closing quotation mark without an opening one",
                    None,
                    "info",
                )
            )


# A quotation may run over this many paragraph breaks when the paragraphs between hold no quote
# mark: copy laid out one sentence per paragraph (WMT test sets, some agency feeds) splits one
# quoted passage of three or four sentences over as many "paragraphs". Measured on the human
# reference translations of the training WMT corpora (see ``scripts/measure_false_alarms.py``).
MAX_QUOTE_BREAKS = 4


def _first_quote(text: str, para: tuple[int, int]) -> str | None:
    for kind, _ in _quote_spans(text, para[0], para[1]):
        return kind
    return None


def _next_para_closes_first(text: str, paras, pi: int) -> bool:
    """The next paragraph with a quote mark, at most :data:`MAX_QUOTE_BREAKS` paragraphs on with
    none between, starts with a closing one: one quotation runs across paragraph breaks (copy
    re-flowed into new paragraphs, one segment per line); the close is then excused by
    :func:`_continues_quote`, so neither end is reported."""
    for k in range(pi + 1, min(len(paras), pi + 1 + MAX_QUOTE_BREAKS)):
        kind = _first_quote(text, paras[k])
        if kind is not None:
            return kind == "close"
    return False


def _continues_quote(ctx: _Ctx, paras, pi: int) -> bool:
    """Does paragraph ``pi`` continue a quotation left open in the nearest earlier paragraph with
    a quote mark (at most :data:`MAX_QUOTE_BREAKS` paragraphs back, none between)?"""
    for k in range(pi - 1, max(-1, pi - 1 - MAX_QUOTE_BREAKS), -1):
        if _first_quote(ctx.text, paras[k]) is not None:
            return _para_has_unclosed(ctx, paras[k])
    return False


def _at_sentence_start(text: str, pos: int, ps: int) -> bool:
    k = pos - 1
    while k >= ps and text[k].isspace():
        k -= 1
    if k < ps:
        return True
    while k >= ps and text[k] in _CLOSERS:
        k -= 1
    return k >= ps and text[k] in _TERMINAL


def _para_has_unclosed(ctx: _Ctx, para: tuple[int, int]) -> bool:
    depth = 0
    for kind, _ in _quote_spans(ctx.text, para[0], para[1]):
        depth = depth + 1 if kind == "open" else max(0, depth - 1)
    return depth > 0


def _check_unclosed(ctx: _Ctx, paras, pi: int, pos: int, end: int, out: list[Finding], nested: bool) -> None:
    text = ctx.text
    if not nested and pi + 1 < len(paras):
        ns = paras[pi + 1][0]
        if text[ns] in '"“„«':
            return  # multi-paragraph quotation
    # opening quote right at the paragraph start that is a heading-like quote? keep: report info
    out.append(
        Finding(
            FAMILY,
            "BRK004",
            pos,
            min(end, pos + 1 + len(_short(text[pos + 1 : end], 40))),
            "quotation opened but never closed",
            None,
            "info",
        )
    )


_INNER_SPLIT_RE = re.compile(r"[a-z0-9,]\.\s+([A-Z][\w'’\-]*)")


def _check_split_quote(ctx: _Ctx, qs: int, qe: int, out: list[Finding]) -> None:
    """A partial quotation (lower-case start, opened mid-sentence) whose last piece is a new
    short sentence: `to “see ... tough questions. The military needs to ask.”`."""
    text = ctx.text
    if qe - qs < 20:
        return
    first = text[qs + 1 : qs + 2]
    if not first.islower():
        return
    # opened mid-sentence: the text before the quote on the line does not end a sentence
    k = qs - 1
    while k >= 0 and text[k] == " ":
        k -= 1
    if k < 0 or text[k] in ".!?\n:":
        return
    inner = text[qs + 1 : qe]
    last = None
    for m in _INNER_SPLIT_RE.finditer(inner):
        last = m
    if last is None:
        return
    tail_start = qs + 1 + last.start(1)
    tail = text[tail_start:qe]
    nwords = len(tail.split())
    if nwords > 6 or nwords < 2:
        return
    if not _ends_terminal(text, tail_start, qe):
        return
    if last.group(1) in ("I", "Mr", "Mrs", "Ms", "Dr"):
        return
    dot = qs + 1 + last.start(1)
    while dot > qs and text[dot - 1] != ".":
        dot -= 1
    out.append(
        Finding(
            FAMILY,
            "BRK004",
            dot - 1,
            qe + 1,
            "quotation split mid-sentence: a short new sentence inside a partial quote",
            None,
            "warning",
        )
    )
