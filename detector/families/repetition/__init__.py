"""repetition family: duplicated words (REP001) and repeated phrases / loops (REP002).

REP001 -- the same word twice in a row ("the the"), compared case-insensitively, separated only by
spaces. Not flagged: grammatical doubles ("had had a year", "that that decision", "what it is is"),
emphatic reduplication ("very very", "no no"), numbers and scores ("6-4 6-4", "505 505"), and
doubled capitalised names or titles ("Duran Duran", "Bora Bora"; "lord Lord Bingham"). A
grammatical double still counts where the context rules the grammatical reading out: "that that
the ...", "had had been / had had reported", "as there there was", "is is" outside a pseudo-cleft.

REP002 -- a phrase of two or more words that recurs within one sentence (or a whole
sentence/clause that recurs in the next one or two). Machine spinning and MT produce loops such as
"their intentions, their strategy, their intentions", "70 km from the city, 70 km from the city"
or "pleaded not guilty to fraud and theft, guilty to fraud". Normal prose repeats phrases too
(parallelism: "firms want to maximise profit, governments want to maximise votes"; lists: "the
mayor of Leeds, the mayor of York"), so a repeat only counts when it is:

- an immediate repeat ("to fall to fall", "in the in the", "a major a major"), with both copies
  punctuated alike, not a reduplication idiom ("stronger and stronger", "back to back"), a
  definition ("makes a gadget a gadget") or an "X for X" title ("for Measure for Measure");
- a list item repeated: the first copy is closed by punctuation, the second is set off by
  punctuation on both sides ("X, Y, X,"), outside parentheses;
- a loop spliced into running text, "P Q, P ..." with Q one to five plain words (P at least
  three words, or two with a content word), when something says the text is broken rather than
  parallel: the first copy does not open a clause and the repeat is long (two content words) or
  does not open with a word parallel items open with; the comma cuts a phrase ("revised down
  the, said it had"); or the repeat is left hanging before punctuation. A repeat followed by a
  completion as long as Q and a further list item ("good for savers, good for borrowers and")
  is parallelism;
- or (across sentences) most of a sentence repeated in one of the next two sentences.

Candidates come from a hash of word bigrams -> last position, so the cost is linear in words
(each candidate is extended to the longest common run; no pairwise comparison of sentences).
The finding spans the first copy through the last repeat; the suggestion is that text with the
repeat removed.

Layout: :mod:`.knobs` (the settings), :mod:`.vocab` (shared word lists and helpers),
:mod:`.rep001`, :mod:`.rep002`; :func:`detect` merges their findings.
"""

from __future__ import annotations

from ...findings import Finding
from ...text import Document, as_document
from .knobs import FAMILY, RepetitionSettings
from .rep001 import _word_repeats
from .rep002 import _phrase_repeats

__all__ = ["FAMILY", "RepetitionSettings", "detect"]


def detect(text: str | Document) -> list[Finding]:
    doc = as_document(text)
    src = doc.text
    words = doc.words
    if len(words) < 2:
        return []
    # each word normalised as vocab._norm does: lower-cased, ’ read as '
    lower = doc.lower_words
    toks = [w.replace("’", "'") for w in lower] if "’" in src else lower
    out = _word_repeats(src, words, toks)

    reps = _phrase_repeats(doc, toks)
    # merge chains ("X, X, X") into one finding: same phrase, overlapping or touching spans
    merged: list[list[int]] = []  # [first_tok, second_tok, last_end_tok, n]
    for i, j, n, _ in reps:
        if merged and toks[i : i + n] == toks[merged[-1][0] : merged[-1][0] + n] and i <= merged[-1][2]:
            merged[-1][2] = j + n
            continue
        merged.append([i, j, j + n, n])
    for i, j, end_tok, n in merged:
        start = words[i][0]
        end = words[end_tok - 1][1]
        second = words[j][0]
        phrase = src[words[j][0] : words[j + n - 1][1]]
        keep = src[start:second].rstrip(" \t,;:-–—")
        out.append(
            Finding(
                FAMILY,
                "REP002",
                start,
                end,
                f'phrase repeated (loop): "{phrase}"',
                suggestion=keep,
                severity="warning",
            )
        )
    # an immediate two-word repeat is also a REP001-style double; keep only the phrase finding
    # where a REP001 lies inside a REP002 span of the same words
    phrase_spans = [(f.start, f.end) for f in out if f.code == "REP002"]
    if phrase_spans:
        out = [
            f
            for f in out
            if f.code == "REP002" or not any(s <= f.start and f.end <= e for s, e in phrase_spans)
        ]
    return out
