"""repetition family: duplicated words (REP001) and repeated phrases / loops (REP002).

REP001 -- the same word twice in a row ("the the"), compared case-insensitively, separated only by
spaces. Not flagged: grammatical doubles ("had had", "that that", "what it is is"), emphatic
reduplication ("very very", "no no"), numbers and scores ("6-4 6-4", "505 505"), and doubled
capitalised names or titles ("Duran Duran", "Bora Bora"; "lord Lord Bingham").

REP002 -- a phrase of two or more words, at least one of them a content word, that recurs within
one sentence (or a whole sentence/clause that recurs in the next one or two). Machine spinning
and MT produce loops such as "their intentions, their strategy, their intentions" or "70 km
from the city, 70 km from the city". Normal prose repeats phrases too (parallelism: "firms want
to maximise profit, governments want to maximise votes"; lists: "more than 1,000 ... more than
2,000"), so a repeat only counts when it is:

- an immediate repeat ("to fall to fall"), not a reduplication idiom ("stronger and stronger",
  "back to back", "Measure for Measure");
- a list item repeated: the first copy is closed by punctuation, the second is set off by
  punctuation on both sides ("X, Y, X,"), outside parentheses;
- or (across sentences) most of a sentence repeated in one of the next two sentences.

Candidates come from a hash of word bigrams -> last position, so the cost is linear in words.
The finding spans the first copy through the last repeat; the suggestion is that text with the
repeat removed.
"""

from __future__ import annotations

import re

from ..findings import Finding
from ..text import Document, as_document

FAMILY = "repetition"

# Function words: an n-gram made only of these ("of the", "more than") never counts as a phrase.
STOPWORDS = frozenset(
    """
    a an the and or but nor so yet if then than that this these those there here of in on at by
    for to from with without into onto upon over under about above below after before as is are
    was were be been being am do does did done have has had having i me my mine we us our ours you
    your yours he him his she her hers it its they them their theirs who whom whose which what
    when where why how not no all any some more most less least few many much such only also just
    very can could will would shall should may might must one s t said says say per cent percent
    own same other another each every both either neither lot lots
    """.split()
)

# Legitimate doubles: grammatical ("had had", "that that", "is is", "do do") and emphatic.
LEGIT_DOUBLES = frozenset(
    """
    had that is do does did very really so no yes bye ha hah ho go knock tut now there well oh
    yeah ok okay wow far long many much too please blah bla ping pong chop mm ah boo ooh hush yum
    choo hip beep la ta dum tick tock hey hi baa quack
    """.split()
)

# Reduplication idioms "W p W" ("back to back", "side by side", "word for word").
IDIOM_WORDS = frozenset(
    """
    back face side day one step year time hand head neck door end bumper cheek shoulder toe heart
    wall person peer point case word dollar like measure man week month night minute bit little
    more less again over through round on out up down inch mile house block
    """.split()
)
IDIOM_LINKS = frozenset("to by after for in on upon against from".split())
COORD = frozenset(("and", "or", "nor"))
ARTICLES = frozenset(("a", "an", "the"))  # "what makes a gadget a gadget"

_DIGIT_RE = re.compile(r"\d")
# What may sit between two equal words for REP001: horizontal whitespace only.
_HSPACE_RE = re.compile(r"[ \t\u00a0]+")
# A phrase boundary right after a copy: optional closing quote/bracket, then , ; : . ! ? … or a dash.
_CLOSE_AFTER_RE = re.compile(r"""["'”’\]]*(?:[,;:.!?…]|\s*[\-–—](?:\s|$))""")
_CONJ_AFTER_RE = re.compile(r"\s+(?:and|or|but)\b", re.I)
_OPEN_BEFORE_RE = re.compile(r"""(?:[,;:–—]|\s[\-–—])["'“‘]?\s*$""")

MAX_GAP = 8  # tokens allowed between the two copies of a repeated list item
MAX_SENTENCE_DISTANCE = 2


def _norm(word: str) -> str:
    return word.lower().replace("’", "'")


def _word_repeats(text: str, words: list[tuple[int, int]], toks: list[str]) -> list[Finding]:
    out = []
    for k in range(len(toks) - 1):
        t = toks[k]
        if t != toks[k + 1]:
            continue
        (s1, e1), (s2, e2) = words[k], words[k + 1]
        if not _HSPACE_RE.fullmatch(text, e1, s2):
            continue
        if t in LEGIT_DOUBLES or _DIGIT_RE.search(t):
            continue
        a, b = text[s1:e1], text[s2:e2]
        if b[0].isupper() and (a[0].isupper() or not a[0].isalpha()) and t not in STOPWORDS:
            continue  # "Duran Duran", "Bora Bora": a doubled name or title
        if a[0].islower() and b[0].isupper():
            continue  # "law lord Lord Bingham"
        if len(t) == 1 and t not in ("a", "i"):
            continue  # initials, list letters
        out.append(
            Finding(
                FAMILY,
                "REP001",
                s1,
                e2,
                f'word repeated: "{text[s1:e2]}"',
                suggestion=a,
                severity="warning",
            )
        )
    return out


def _sentence_index(words: list[tuple[int, int]], sentences: list[tuple[int, int]]) -> list[int]:
    out = []
    k = 0
    last = len(sentences) - 1
    for s, _ in words:
        while k < last and sentences[k][1] <= s:
            k += 1
        out.append(k)
    return out


def _is_idiom(toks: list[str], i: int) -> bool:
    """Immediate bigram repeat "A B A B": is it a reduplication idiom rather than a loop?"""
    a, b = toks[i], toks[i + 1]
    if a in COORD or b in COORD:  # "stronger and stronger and", "time and time and time again"
        return True
    if b in IDIOM_LINKS and a in IDIOM_WORDS:  # "back to back to"
        return True
    if a in IDIOM_LINKS and b in IDIOM_WORDS:  # "to back to back"
        return True
    return False


def _phrase_repeats(doc: Document, toks: list[str]) -> list[tuple[int, int, int, int]]:
    """Return (first_start_tok, second_start_tok, n, kind) for accepted repeats."""
    text = doc.text
    words = doc.words
    ntok = len(toks)
    if ntok < 4:
        return []
    sidx = _sentence_index(words, doc.sentences)
    sent_len: dict[int, int] = {}
    for k in sidx:
        sent_len[k] = sent_len.get(k, 0) + 1
    last: dict[tuple[str, str], int] = {}
    accepted = []
    covered = 0
    for j in range(ntok - 1):
        key = (toks[j], toks[j + 1])
        i = last.get(key)
        last[key] = j
        if i is None or j < covered or i + 2 > j:
            continue
        ds = sidx[j] - sidx[i]
        if ds > MAX_SENTENCE_DISTANCE:
            continue
        n = 2
        while (
            j + n < ntok
            and i + n < j
            and toks[i + n] == toks[j + n]
            and sidx[i + n] == sidx[i]
            and sidx[j + n] == sidx[j]
        ):
            n += 1
        if sidx[i + 1] != sidx[i] or sidx[j + 1] != sidx[j]:
            continue
        phrase = toks[j : j + n]
        content = [t for t in phrase if t not in STOPWORDS and not _DIGIT_RE.search(t)]
        if not content:
            continue
        gap = j - (i + n)
        e1 = words[i + n - 1][1]
        s2, e2 = words[j][0], words[j + n - 1][1]
        ok = False
        if ds == 0:
            between = text[e1:s2]
            if gap == 0 and "(" not in between and ")" not in between:
                # immediate repeat: "to fall to fall", "70 km from the city, 70 km from the city"
                if n >= 3 or not (_is_idiom(toks, i) or toks[i] in ARTICLES):
                    caps = all(text[words[k][0]].isupper() for k in range(j, j + n) if toks[k] in content)
                    ok = n >= 3 or not caps  # "for Measure for Measure" is a title
                    if ok and n == 2 and between.strip() and between.strip() not in (",", ";"):
                        ok = False
            if not ok and gap <= MAX_GAP:
                # a list item repeated: "their intentions, their strategy, their intentions,"
                if (
                    _CLOSE_AFTER_RE.match(text, e1)
                    and (_CLOSE_AFTER_RE.match(text, e2) or _CONJ_AFTER_RE.match(text, e2))
                    and _OPEN_BEFORE_RE.search(text, max(0, s2 - 4), s2)
                    and "(" not in text[e1:s2]
                    and ")" not in text[e1:s2]
                ):
                    ok = True
        else:
            # a sentence (or nearly all of one) repeated in the next one or two sentences of the
            # same line; rhetorical anaphora ("We needed to cut X. We needed to cut Y") repeats
            # only the opening, so both sentences must be mostly the repeat
            longer = max(sent_len[sidx[i]], sent_len[sidx[j]])
            starts_sentence = sidx[j - 1] != sidx[j]
            ok = (
                starts_sentence
                and n >= 4
                and len(content) >= 2
                and n >= 0.8 * longer
                and "\n" not in text[e1:s2]
            )
        if not ok and accepted and accepted[-1][1] == i and accepted[-1][2] == n and ds == 0:
            ok = gap <= MAX_GAP  # the chain goes on: "the storm, the storm, the storm"
        if ok:
            accepted.append((i, j, n, ds))
            covered = j + n
    return accepted


def detect(text: str | Document) -> list[Finding]:
    doc = as_document(text)
    src = doc.text
    words = doc.words
    if len(words) < 2:
        return []
    toks = [_norm(src[s:e]) for s, e in words]
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
