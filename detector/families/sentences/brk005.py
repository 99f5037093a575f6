"""BRK005: truncated text.

Flagged: a line of prose whose last sentence stops without terminal punctuation after earlier
complete sentences (text lost at a line break when the next line carries on in lower case);
a document whose last paragraph is an unfinished sentence with a verb.

Not flagged: captions and labels (no verb), sign-offs, lines that are not prose.
"""

from __future__ import annotations

from ...findings import Finding
from .common import FAMILY, _Ctx, _ends_terminal, _has_finite_verb, _last_visible
from .words import _SIGNOFF_RE


def _proseish(text: str, words: list[tuple[int, int]]) -> bool:
    if not words:
        return False
    lower = sum(1 for a, _ in words if text[a].islower())
    return lower * 2 >= len(words)


def _brk005(ctx: _Ctx, out: list[Finding]) -> None:
    text = ctx.text
    by_line = ctx.by_line
    flagged_lines = set()
    for li, (_line, sents) in enumerate(by_line):
        if len(sents) < 2:
            continue
        s, e = sents[-1]
        if _ends_terminal(text, s, e):
            continue
        last = text[_last_visible(text, s, e)]
        if not (last.isalnum() or last in ",-"):
            continue
        words = ctx.words_in(s, e)
        last_line = li == len(by_line) - 1
        if len(words) < (1 if last_line else 4) or not (last_line or _proseish(text, words)):
            continue
        if not all(_ends_terminal(text, a, b) for a, b in sents[:-1]):
            continue
        cont = li + 1 < len(by_line) and not text[by_line[li + 1][0][0]].isupper()
        _report_trunc(ctx, s, e, words, out, continued=cont)
        flagged_lines.add(li)
    # the document's last prose paragraph stops mid-sentence
    if not by_line:
        return
    li = len(by_line) - 1
    if li in flagged_lines:
        return
    (ls, le), sents = by_line[li]
    if len(sents) != 1 or len(by_line) < 2:
        return
    s, e = sents[0]
    if _ends_terminal(text, s, e):
        return
    lastc = text[_last_visible(text, s, e)]
    if not (lastc.isalnum() or lastc in ","):
        return
    words = ctx.words_in(s, e)
    if len(words) < 8 or not _proseish(text, words):
        return
    if text[s].islower() or _SIGNOFF_RE.match(text[s:e]):
        return
    if not _has_finite_verb(text, words, strict=True):
        return  # a caption or label ("Rescue workers near the harbour wall on Monday")
    # the document must have prose before it (at least two earlier lines ending a sentence)
    prose_before = sum(1 for (a, b), ss in by_line[:-1] if b - a > 40 and _ends_terminal(text, a, b))
    if prose_before < 1:
        return
    _report_trunc(ctx, s, e, words, out)


def _report_trunc(ctx: _Ctx, s: int, e: int, words, out: list[Finding], continued: bool = False) -> None:
    ws, we = words[-1]
    start = words[-3][0] if len(words) >= 3 else s
    last = ctx.text[ws:we]
    if continued:  # the next line carries on in lower case: text lost at a line break
        msg = f"sentence breaks off after '{last}' and resumes on a new line (text missing)"
    else:
        msg = f"text stops mid-sentence after '{last}' (truncated)"
    out.append(Finding(FAMILY, "BRK005", start, e, msg, None, "warning"))
