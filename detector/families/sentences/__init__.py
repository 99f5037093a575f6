"""broken-sentence family: broken boundaries, verbless fragments, doubled verbs, split quotes,
truncation.

Everything here is a cheap, tagger-free heuristic over the shared :class:`Document` spans:

- BRK001: ``word. lowercase`` on one line, unless the dotted token is an abbreviation, initial,
  dotted acronym (``U.S.``, ``p.m.``, ``e.g.``), an ellipsis or a list number.
- BRK002: a sentence in running prose (a line with two or more sentences, or a one-sentence
  paragraph between two prose paragraphs) with no word that could be a finite verb. Headlines,
  captions, sign-offs, bullets, quotes, lists and short lines (< 5 words) are skipped. The verb
  test is deliberately *liberal* (any plausible finite form counts) so that only clear fragments
  are reported: a hand-written lexicon of verb lemmas with regular morphology (-s/-es/-ies,
  -ed/-d/-ied, doubled consonants), irregular forms, auxiliaries and modals, plus context: a
  bare lemma counts after a subject-like word, an -s/-ed form unless right after a determiner,
  preposition or adjective, anything after a subject pronoun.
- BRK003: two adjacent finite forms of lexicon verbs in the same tense ("passes tops 5,000")
  followed by a number or determiner; never after be-auxiliaries, never with linking verbs or
  noun-like irregulars ("hit", "cut"), reporting verbs only before a determiner.
- BRK004: a partial quotation (opened mid-sentence in lower case) that breaks into a new short
  capitalised sentence before closing; or a quotation mark left unbalanced in a paragraph
  (multi-paragraph quotes, whose next paragraph re-opens with a quote mark, the same
  convention with the paragraphs run together, and one quotation running across a paragraph
  break into the next paragraph's closing mark are allowed).
- BRK005: a line of prose whose last sentence stops without terminal punctuation after earlier
  complete sentences, or a document whose last paragraph is an unfinished sentence with a verb
  (captions and labels have none).

Layout (one module per rule, shared helpers beside them): :mod:`.words` (verb lexicon and
morphology, word lists), :mod:`.common` (document context, sentence ends, the finite-verb test),
:mod:`.brk001` ... :mod:`.brk005`.
"""

from __future__ import annotations

from ...findings import Finding
from ...text import Document, as_document
from .brk001 import _brk001
from .brk002 import _brk002
from .brk003 import _brk003
from .brk004 import _brk004
from .brk005 import _brk005
from .common import FAMILY, _Ctx
from .words import verb_form

__all__ = ["FAMILY", "detect", "verb_form"]


def detect(text: str | Document) -> list[Finding]:
    """BRK001-BRK005 findings for one article, in text order."""
    doc = as_document(text)
    if not doc.text.strip():
        return []
    ctx = _Ctx(doc)
    out: list[Finding] = []
    _brk001(ctx, out)
    _brk002(ctx, out)
    _brk003(ctx, out)
    _brk004(ctx, out)
    _brk005(ctx, out)
    # BRK002 on the piece after a BRK001 break duplicates the evidence: drop it
    breaks = [f.end for f in out if f.code == "BRK001"]
    if breaks:
        out = [f for f in out if not (f.code == "BRK002" and any(f.start <= b <= f.end for b in breaks))]
    out.sort(key=lambda f: (f.start, f.end, f.code))
    return out
