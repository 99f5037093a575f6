"""BRK001: a sentence boundary without a capital: ``word. lowercase`` on one line.

Not flagged: the dotted token is an abbreviation, an initial, a dotted acronym (``U.S.``,
``p.m.``, ``e.g.``), a web address, an ellipsis or a list number.
"""

from __future__ import annotations

import re

from ...findings import Finding
from .common import FAMILY, _Ctx, _is_abbrev_token
from .words import _DOT_LOWER_RE


def _brk001(ctx: _Ctx, out: list[Finding]) -> None:
    text = ctx.text
    for m in _DOT_LOWER_RE.finditer(text):
        dot = m.start(2) - 1
        # the token before the dot (may contain dots: U.S, p.m, e.g)
        j = dot
        while j > 0 and not text[j - 1].isspace():
            j -= 1
        tok = text[j:dot]
        if not tok or not (tok[-1].isalnum() or tok[-1] in ")%"):
            continue
        core = tok.rstrip(")%")
        if _is_abbrev_token(core):
            continue
        if core.isdigit() and (j == 0 or text[j - 1] == "\n"):
            continue  # "1. item"
        nxt = m.group(3)
        if any(c.isupper() for c in nxt[1:]):  # iPhone, eBay
            continue
        if nxt in ("com", "org", "net", "co", "uk", "gov", "edu"):
            continue
        # prefer the alphabetic part of the previous token for the suggestion
        ws = j
        while ws < dot and not text[ws].isalnum():
            ws += 1
        nstart = m.start(3)
        # extend the span over one more word of the continuation, for context
        k = m.end(3)
        m2 = re.match(r"[ \t]+[\w'’\-]+", text[k : k + 40])
        end = k + m2.end() if m2 else k
        joined = text[ws:dot] + m.group(2) + " " + text[nstart:end]
        out.append(
            Finding(
                FAMILY,
                "BRK001",
                ws,
                end,
                f"full stop before lower-case '{nxt}': sentence broken in two",
                joined,
                "warning",
            )
        )
