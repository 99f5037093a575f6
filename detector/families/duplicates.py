"""duplicate-block family: repeated lines, captions and paragraphs (DUP001), and long runs of
repeated paragraphs -- typically a whole article pasted twice (DUP002).

The unit is a line (``Document.lines``): in scraped copy a paragraph, a caption and a headline
are each a line, and a paragraph with an inner line break is two units that repeat together.
Each line is normalised to its lower-cased words (punctuation, quotes and spacing ignored) and
hashed; a line counts as a repeat when an earlier line has the same key. Lines of fewer than
``min_words`` words ("Thumbnail", "Share this post") are left to the boilerplate family.

Near-identical repeats (a word changed or dropped) are found without comparing every pair: a
long line is also keyed by its first and last ``affix_words`` words, and only an earlier line
sharing one of those keys is compared with rapidfuzz (``near_ratio``).

The same text wrapped differently (two paragraphs joined into one line by another page
template) is caught through sentences: a line whose sentences all occurred in earlier lines is a
repeat too. A single long sentence (``sentence_min_words``+) repeated in another line -- a
standfirst or caption pasted into a paragraph -- is a DUP001 on that sentence. A sentence repeated
within the next ``nearby_sentences`` sentences of the same line is left to the repetition family.

A run of repeated lines (short lines inside the run do not break it) with at least
``run_min_lines`` repeats and ``run_min_words`` words becomes one DUP002 finding covering the
whole run, instead of one DUP001 per line. Every finding points at the repeat and names the
first copy ("repeats paragraph at line N").

The thresholds are settings (:class:`DuplicateSettings`, :mod:`detector.settings`).
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from .. import settings
from ..findings import Finding
from ..text import Document, as_document

FAMILY = "duplicate-block"

QUOTE_CHARS = 50  # length of the quoted first copy in a message


@settings.register(FAMILY)
@dataclass(frozen=True, slots=True)
class DuplicateSettings:
    """Knobs of the duplicate-block family (``[settings.duplicate-block]`` in the configuration)."""

    min_words: int = settings.knob(4, "shorter lines are furniture or list labels (boilerplate's job); tuned on the BBC train split")
    near_min_words: int = settings.knob(10, "only lines this long are compared fuzzily: a one-word change in a shorter line is another line")
    affix_words: int = settings.knob(6, "candidate near-repeats share their first or last N words (keeps the fuzzy pass linear)")
    near_ratio: float = settings.knob(90.0, "rapidfuzz ratio for a near-identical repeat; chosen on injected repeats in the BBC train split")
    run_min_lines: int = settings.knob(3, "a run of this many repeated lines is one DUP002 (an article pasted twice), not N DUP001s")
    run_min_words: int = settings.knob(60, "... and at least this many words, so a repeated caption block is not a pasted article")
    sentence_min_words: int = settings.knob(8, "a repeated sentence (in another line) this long is reported; shorter ones recur in clean copy")
    nearby_sentences: int = settings.knob(2, "a sentence repeated within N sentences of the same line is a repetition loop (REP002)")


def _quote(text: str, start: int, end: int) -> str:
    s = " ".join(text[start:end].split())
    return s if len(s) <= QUOTE_CHARS else s[: QUOTE_CHARS - 1].rstrip() + "…"


def _line_no(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _line_sentences(doc: Document) -> tuple[list[list[tuple[str, int, int, int]]], list[tuple[int, int]]]:
    """Per line: (key, word count, start, end) of each sentence in it; and the range of the
    line's words in ``doc.words``.

    A key is the sentence's lower-cased words joined by spaces (``" ".join(words).lower()``,
    the same string: see :attr:`Document.lower_words`). The words of the sentences, in order,
    are the document's words (:attr:`Document.sentence_words`), and each sentence lies in one
    line, so a line's words are its sentences' words."""
    lines = doc.lines
    lower = doc.lower_words
    out: list[list[tuple[str, int, int, int]]] = [[] for _ in lines]
    first = [-1] * len(lines)
    ends = [0] * len(lines)
    li = 0
    last = len(lines) - 1
    w = 0
    for (s, e), spans in zip(doc.sentences, doc.sentence_words, strict=True):
        while li < last and lines[li][1] <= s:
            li += 1
        n = len(spans)
        out[li].append((" ".join(lower[w : w + n]), n, s, e))
        if first[li] < 0:
            first[li] = w
        w += n
        ends[li] = w
    ranges = []
    w = 0
    for k in range(len(lines)):
        if first[k] >= 0:
            w = first[k]
            ranges.append((w, ends[k]))
            w = ends[k]
        else:
            ranges.append((w, w))
    return out, ranges


def detect(text: str | Document) -> list[Finding]:
    cfg = settings.get(DuplicateSettings)
    doc = as_document(text)
    src = doc.text
    lines = doc.lines
    if len(lines) < 2:
        return []
    line_sents, line_words = _line_sentences(doc)
    lower = doc.lower_words

    exact: dict[str, int] = {}
    affix: dict[tuple[int, str], int] = {}
    seen_sent: dict[str, tuple[int, int, int]] = {}  # sentence key -> (line, start, end) of first copy
    keys: list[str] = []
    # per line: index of the first copy (or -1), how it matched, word count
    source: list[int] = []
    how: list[str] = []
    nwords: list[int] = []
    for k in range(len(lines)):
        ws, we = line_words[k]
        words = lower[ws:we]  # lower-cased: every key below is lower-cased
        nw = len(words)
        nwords.append(nw)
        key = " ".join(words)
        keys.append(key)
        found, kind = -1, ""
        if nw >= cfg.min_words:
            first = exact.get(key)
            if first is not None:
                found, kind = first, "exact"
            else:
                exact[key] = k
                best = 0.0
                if nw >= cfg.near_min_words:
                    head = (0, " ".join(words[:cfg.affix_words]))
                    tail = (1, " ".join(words[-cfg.affix_words:]))
                    for ak in (head, tail):
                        prev = affix.get(ak)
                        if prev is None:
                            affix[ak] = k
                        elif prev != found:
                            r = fuzz.ratio(key, keys[prev], score_cutoff=cfg.near_ratio)
                            if r > best:
                                found, best = prev, r
                    if found >= 0:
                        kind = f"nearly ({best:.0f}% similar) "
                if found < 0:
                    # the same text wrapped differently: every sentence already seen elsewhere
                    sents = [x for x in line_sents[k] if x[1] >= cfg.sentence_min_words // 2]
                    if sents and (len(sents) >= 2 or sents[0][1] >= cfg.sentence_min_words):
                        hits = [seen_sent.get(x[0]) for x in sents]
                        if all(h is not None and h[0] != k for h in hits):
                            found, kind = hits[0][0], "wrapped"
        for x in line_sents[k]:
            seen_sent.setdefault(x[0], (k, x[2], x[3]))
        source.append(found)
        how.append(kind)

    out: list[Finding] = []
    k = 0
    n = len(lines)
    while k < n:
        if source[k] < 0:
            k += 1
            continue
        # extend a run of repeats; short lines inside it do not break it
        run = [k]
        m = k + 1
        while m < n:
            if source[m] >= 0:
                run.append(m)
            elif nwords[m] >= cfg.min_words:
                break
            m += 1
        run_words = sum(nwords[r] for r in run)
        if len(run) >= cfg.run_min_lines and run_words >= cfg.run_min_words:
            first = source[run[0]]
            start, end = lines[run[0]][0], lines[run[-1]][1]
            fs, fe = lines[first]
            out.append(
                Finding(
                    FAMILY,
                    "DUP002",
                    start,
                    end,
                    f"repeats {len(run)} paragraphs ({run_words} words) of earlier text, from the "
                    f"paragraph at line {_line_no(src, fs)}: “{_quote(src, fs, fe)}”",
                    suggestion="delete the repeat",
                    severity="error",
                )
            )
        else:
            for r in run:
                first = source[r]
                fs, fe = lines[first]
                s, e = lines[r]
                if how[r] == "wrapped":
                    msg = f"repeats text of the paragraph at line {_line_no(src, fs)}"
                else:
                    msg = (
                        f"{'' if how[r] == 'exact' else how[r]}repeats paragraph at line {_line_no(src, fs)}"
                    )
                out.append(
                    Finding(
                        FAMILY,
                        "DUP001",
                        s,
                        e,
                        f"{msg}: “{_quote(src, fs, fe)}”",
                        suggestion="delete the repeat",
                        severity="warning",
                    )
                )
        k = run[-1] + 1

    out.extend(_sentence_repeats(src, line_sents, source))
    return out


def _sentence_repeats(
    src: str, line_sents: list[list[tuple[str, int, int, int]]], line_source: list[int]
) -> list[Finding]:
    """A long sentence that repeats one in another line (a standfirst or caption pasted into a
    paragraph). Lines already reported as repeats are skipped; a sentence repeated within the next
    ``nearby_sentences`` sentences of its line is left to the repetition family (REP002)."""
    cfg = settings.get(DuplicateSettings)
    seen: dict[str, tuple[int, int, int, int]] = {}  # key -> (line, ordinal, start, end) of first copy
    out = []
    ordinal = 0
    for li, sents in enumerate(line_sents):
        for key, nw, s, e in sents:
            ordinal += 1
            if nw < cfg.sentence_min_words:
                continue
            prev = seen.get(key)
            if prev is None:
                seen[key] = (li, ordinal, s, e)
                continue
            if line_source[li] >= 0 or (prev[0] == li and ordinal - prev[1] <= cfg.nearby_sentences):
                continue
            out.append(
                Finding(
                    FAMILY,
                    "DUP001",
                    s,
                    e,
                    f"repeats sentence at line {_line_no(src, prev[2])}: “{_quote(src, prev[2], prev[3])}”",
                    suggestion="delete the repeat",
                    severity="warning",
                )
            )
    return out
