"""Shared helpers of the name family: tokenising capitalised runs into name mentions,
windows over a run, span overlaps and token counts in one text."""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field

from ... import gazetteer as gz
from ...findings import Finding
from ...memo import CappedMemo

FAMILY = "name"

# Performance cap: a capitalised "word" longer than this is no name (the longest real name
# tokens, double-barrelled or transliterated, have about 25 letters) and is skipped by every
# name check; spelling-slip candidates are generated per letter, so a megabyte-long word would
# otherwise cost minutes.
MAX_NAME_TOKEN = 64


# -- tokenising ----------------------------------------------------------------------------------
_UPPER = "".join(c for c in map(chr, list(range(0x41, 0x250)) + list(range(0x1E00, 0x1F00))) if c.isupper())
_UP = "[" + re.escape(_UPPER) + "]"
_LET = r"[^\W\d_]"
_TOK = (
    rf"(?:(?:al|el|ad|as|ash|at|az|ar|an)[-‐])?{_UP}{_LET}*(?:['’]{_LET}+)*"
    rf"(?:[-‐]{_LET}+(?:['’]{_LET}+)*)*"
)
_INIT = rf"{_UP}\.(?:[ ]?{_UP}\.)*"
_PART = r"(?:bin|bint|ibn|al|el|von|van|der|den|de|da|dos|das|du|la|le|di|del|della|ter|ten)"
_SEP = r"[ \u00a0]"
_ITEM = rf"(?:{_INIT}|{_TOK})"
# A run of 2+ capitalised words/initials (particles between): the places a name can be. The
# first item is written out so the regex engine can skip quickly to upper-case letters.
RUN_RE = re.compile(
    rf"{_UP}(?<![\w'’\-.]{_UP})(?:\.(?:[ ]?{_UP}\.)*|{_LET}*(?:['’]{_LET}+)*(?:[-‐]{_LET}+(?:['’]{_LET}+)*)*)"
    rf"(?:{_SEP}(?:{_PART}{_SEP})*{_ITEM})+(?!\w)"
)
# One name token: ``{_INIT}|{_TOK}|\b{_PART}\b``, the same match at each position, written to open
# with the set of every character a token can start with (upper case for an initial or a word,
# "a"/"e" for an "al-"/"el-"... prefix, the first letters of the particles), so the regex engine
# skips to those characters instead of trying each alternative at every position of the text;
# lookbehinds on that first character choose the branch.
_TOK_REST = rf"{_LET}*(?:['’]{_LET}+)*(?:[-‐]{_LET}+(?:['’]{_LET}+)*)*"
_PART_REST = (
    r"(?<!\w.)(?:(?<=b)(?:in|int)|(?<=i)bn|(?<=[ae])l|(?<=v)(?:on|an)"
    r"|(?<=d)(?:er|en|e|a|os|as|u|i|el|ella)|(?<=l)[ae]|(?<=t)(?:er|en))\b"
)
TOKEN_RE = re.compile(
    "[" + re.escape(_UPPER) + "abdeilntv" + "]"
    rf"(?:(?<={_UP})(?:\.(?:[ ]?{_UP}\.)*|{_TOK_REST})"
    rf"|(?:(?<=a)(?:l|d|s|sh|t|z|r|n)|(?<=e)l)[-‐]{_UP}{_TOK_REST}"
    rf"|{_PART_REST})"
)
_HYPHEN_RE = re.compile(r"[-‐]")
_CLITIC_RE = re.compile(r"['’](?:s|S|ll|d|ve|re|m)$")

# Capitalised words that start or sit in name-like runs but are not first names.
STOP = frozenset(
    """
    a an the and but or if in on at of for to by with from as after before when while where what
    who why how this that these those there then than so yet he she it we they his her its their our
    mr mrs ms miss dr prof sir dame lord lady king queen prince princess pope sheikh emir
    president vice prime minister ministers secretary general chief state defense defence
    foreign interior finance home office deputy senator sen rep gov governor mayor judge justice
    chancellor ambassador envoy spokesman spokeswoman spokesperson commander colonel captain
    major lieutenant sergeant admiral leader speaker chairman chairwoman chair director head
    army navy air force police party council court house senate congress parliament
    north south east west new old great united national international royal federal republic
    democratic republican labour conservative liberal saint st monday tuesday wednesday thursday
    friday saturday sunday january february march april may june july august september october
    november december us uk un eu nato my your our real tory tories lib dem
    """.split()
)


@dataclass(slots=True)
class Tok:
    start: int
    end: int
    text: str
    keys: list[str]  # folded sub-tokens ("Al-Thani" -> ["al", "thani"])
    particle: bool
    possessive: bool = False


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    toks: list[Tok]
    core: tuple[str, ...]
    known: bool
    flagged: bool = False

    @property
    def pair(self) -> str:
        return f"{self.core[0]} {self.core[-1]}"

    @property
    def text(self) -> str:
        return " ".join(t.text for t in self.toks)


@dataclass(slots=True)
class Analysis:
    mentions: list[Mention] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


_fold_memo = CappedMemo()


def _fold_parts(text: str) -> list[str]:
    k = [gz.fold(p) for p in _HYPHEN_RE.split(text) if p]
    return [x for x in k if x]


def _keys(text: str) -> list[str]:
    """Folded sub-tokens of a token ("Al-Thani" -> ["al", "thani"]), memoised."""
    return _fold_memo(text, _fold_parts)


def _tokens(text: str, s: int, e: int) -> list[Tok]:
    out = []
    for m in TOKEN_RE.finditer(text, s, e):
        t = m.group()
        ts, te = m.start(), m.end()
        m2 = _CLITIC_RE.search(t) if "'" in t or "’" in t else None  # a clitic has an apostrophe
        if m2 and m2.start() > 0:  # possessive or contraction ("Blinken's", "Bollason'll")
            t, te = t[: m2.start()], te - (len(t) - m2.start())
        particle = t[0].islower() and "-" not in t and "‐" not in t
        out.append(Tok(ts, te, t, _keys(t), particle, te != m.end()))
    return out


def _split_runs(toks: list[Tok]) -> list[list[Tok]]:
    """A possessive ends a name: "Israel's Mossad" is two runs. A token longer than
    ``MAX_NAME_TOKEN`` is no name: the run is cut there and the token dropped."""
    out, cur = [], []
    for t in toks:
        if len(t.text) > MAX_NAME_TOKEN:
            if cur:
                out.append(cur)
            cur = []
            continue
        cur.append(t)
        if t.possessive:
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return [r for r in out if len(r) >= 2]


def _core(toks: list[Tok]) -> list[str]:
    keys = []
    for t in toks:
        keys.extend(t.keys)
    return gz.core_tokens(keys)


_core_memo = CappedMemo()


def _core_t(toks: list[Tok]) -> tuple[str, ...]:
    """:func:`_core` as a tuple, memoised on the tokens' keys (a run of repeated capitalised
    words, "Blair Blair ...", asks for the same few windows again and again)."""
    return _core_memo(tuple(k for t in toks for k in t.keys), _core_of_keys)


def _core_of_keys(keys: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(gz.core_tokens(list(keys)))


def _replace(m: Mention, which: str, new_tok: str) -> str:
    """The mention's text with its first or last token replaced."""
    toks = [t.text for t in m.toks]
    k = 0 if which == "first" else -1
    if toks[k].isupper() and len(toks[k]) > 1:
        new_tok = new_tok.upper()
    toks[k] = new_tok
    return " ".join(toks)


def _form_token(form: str, which: str) -> str:
    parts = form.split()
    return parts[0] if which == "first" else parts[-1]


# A name has at most this many core tokens (first, middle and last names; particles and
# initials aside): no known name is longer, and it bounds the windows examined per run.
_MAX_CORE = 5
# ... and a window spans at most this many tokens, particles included ("Maria de los Angeles
# de la Vega ..."): a run of particles ("de la de la de ...") would otherwise make every window
# as long as the run. 5 core tokens with 7 particles between them is beyond any real name.
_MAX_WINDOW = 12


def _windows(toks: list[Tok]):
    """(i, j) windows over a run, longest first for each start, particles not at the edges, at
    most ``_MAX_CORE`` non-particle and ``_MAX_WINDOW`` tokens each.

    Linear in the run: each start looks ahead at most ``_MAX_WINDOW`` tokens (a run of N
    capitalised words used to cost O(N^3): every window's non-particle tokens were counted
    anew, "Blair " * 1600 took 36 s)."""
    n = len(toks)
    for i in range(n):
        if toks[i].particle:
            continue
        # the longest window from i: up to _MAX_CORE non-particles, _MAX_WINDOW tokens
        core = 0
        jmax = i
        for k in range(i, min(n, i + _MAX_WINDOW)):
            if not toks[k].particle:
                if core == _MAX_CORE:
                    break
                core += 1
            jmax = k + 1
        for j in range(jmax, i + 1, -1):
            if toks[j - 1].particle:
                continue
            yield i, j


class _Overlaps:
    """Does a span overlap any of a fixed set of spans? Sorted starts and running maximum ends:
    a bisection per query instead of a pass over every span (a long document has thousands of
    name mentions and findings; a pass per word was quadratic)."""

    def __init__(self, spans: list[tuple[int, int]]):
        spans = sorted(spans)
        self.starts = [a for a, _ in spans]
        self.max_end = list(itertools.accumulate((b for _, b in spans), max))

    def hits(self, s: int, e: int) -> bool:
        """Is there a span (a, b) with a < e and s < b?"""
        k = bisect.bisect_left(self.starts, e)  # spans [0, k) start before e
        return k > 0 and self.max_end[k - 1] > s


def _flag(res: Analysis, m: Mention, code: str, message: str, suggestion: str) -> None:
    """Record a finding on a whole mention (and mark it, so no later check flags it again)."""
    m.flagged = True
    res.findings.append(Finding(FAMILY, code, m.start, m.end, message, suggestion=suggestion))


_RUN_W_RE = re.compile(r"\w+")
_PART_W_RE = re.compile(r"\w+|\W")


class _TokenIndex:
    """Where each maximal run of word characters starts in one text (built once per text).

    An occurrence of a token that starts and ends with word characters, not inside a longer
    word, starts where a maximal run equal to the token's first part starts; counting one is a
    look-up rather than a scan of the whole text (one scan per distinct name made the name
    checks quadratic in the size of a long document)."""

    __slots__ = ("text", "starts")

    def __init__(self, text: str):
        self.text = text
        starts: dict[str, list[int]] = {}
        for m in _RUN_W_RE.finditer(text):
            starts.setdefault(m.group(), []).append(m.start())
        self.starts = starts

    def count(self, tok: str) -> int:
        r"""Occurrences of ``tok`` not preceded or followed by a word character (as the regex
        ``(?<!\w)tok(?!\w)`` counts them)."""
        first = _RUN_W_RE.match(tok)
        if first is None or first.end() == 0:
            return len(re.findall(rf"(?<!\w){re.escape(tok)}(?!\w)", self.text))
        starts = self.starts.get(first.group(), ())
        if first.end() == len(tok):
            return len(starts)
        text, n, k, after = self.text, 0, len(tok), 0
        for p in starts:  # ascending; matches do not overlap (as re.findall counts them)
            if (
                p >= after
                and text.startswith(tok, p)
                and not (p + k < len(text) and _RUN_W_RE.match(text, p + k))
            ):
                n += 1
                after = p + k
        return n


_index_last: list = [None]


def _token_index(text: str) -> _TokenIndex:
    """The :class:`_TokenIndex` of ``text`` (the last one is kept: one article at a time)."""
    idx = _index_last[0]
    if idx is None or idx.text is not text:
        idx = _index_last[0] = _TokenIndex(text)
    return idx


def _count_token(text: str, tok: str) -> int:
    """Occurrences of ``tok`` in ``text`` not inside a longer word."""
    return _token_index(text).count(tok)


def _word_used(text: str, tok: str) -> int:
    r"""Occurrences of ``tok`` between word boundaries (``\btok\b``)."""
    if (
        tok[:1].isalnum()
        and tok[-1:].isalnum()
        and _RUN_W_RE.fullmatch(tok[0])
        and _RUN_W_RE.fullmatch(tok[-1])
    ):
        return _count_token(text, tok)
    return len(re.findall(rf"\b{re.escape(tok)}\b", text))
