"""name family: misspelled or inconsistently spelled person names.

- NAM001 near miss of a known person's name ("Anthony Blinken" -> "Antony Blinken"): the
  observed full name is not a known spelling of anyone, one of its first/last tokens equals a
  target's and the other is one or two edits away (same initial letter), the match is
  unambiguous among *all* known spellings, and the name is unlikely to be some other person (the
  surname is rare when the first names differ; the first name is rare, or the observed surname
  unheard of, when the surnames differ). A *slip* in a prominent target's name
  (gazetteer prominence >= SLIP_PROMINENCE) is flagged whatever the other token when the
  differing token is nobody's name in the shared lists ("Daid Cameron", "John Krery", "Gordon
  Brow", "Joe Bide"); a real name ("John Kerr", "Kamal Harris") is left alone.
- NAM002 two spellings of one name in one article ("Yoav Galant ... Yoav Gallant"): the known
  or majority spelling is suggested for the other. Also a lone surname that is nobody's name and
  one slip from the surname of someone named in full in the article ("Michael Heseltine ...
  Mr Hseeltine"), after a title, a first name, or before a reporting verb.
- NAM003 minority spelling across a batch (:func:`detect_batch`): a spelling used in at most
  two thirds as many articles as a similar person-name spelling seen in at least two (a quarter,
  and three articles, when both spellings are real names), and not itself a known spelling.
  Spans already flagged by NAM001/NAM002 are not flagged again.
- NAM005 a first name that is nobody's (gazetteer, language model, reference news) and two
  swapped or one doubled letter from a common given name ("Anyd Robinson" -> Andy).
- NAM006 a capitalised word no lexicon knows (language model, reference news), used at most
  twice, and one swapped, doubled or (7+ letters) dropped letter from a frequent word or name
  ("Capmbell", "Madird", "Hollwood"). NAM005/NAM006 need no gazetteer entry for the person: most
  people in the news are in none.

Attested variants (gazetteer lines, transliteration groups of first names, accents, hyphens,
particles, middle initials) are never flagged. The gazetteer is :mod:`detector.gazetteer`;
it is loaded on the first capitalised two-word sequence.
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import re
import weakref
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz.distance import OSA

from .. import gazetteer as gz
from ..findings import Finding
from ..text import Document, as_document

FAMILY = "name"

set_user_gazetteer = gz.set_user_gazetteer

# -- tuning ------------------------------------------------------------------------------------
# NAM001, first names differ: at most this many known people may share the surname.
MAX_SURNAME_PEOPLE = 3
# NAM001, surnames differ: the first name must be this rare when the observed surname is itself a
# known surname, and at most MAX_FIRST_PEOPLE_UNKNOWN when it is not.
MAX_FIRST_PEOPLE_KNOWN_SURNAME = 8
MAX_FIRST_PEOPLE_UNKNOWN = 40
# NAM001 slips: an observed first name (surname) shared by at most this many known people is
# "no name", and a slip of one letter in a target's name this prominent is flagged whatever the
# other token (see gazetteer.PROMINENT).
MAX_SLIP_FIRST_PEOPLE = 2
MAX_SLIP_LAST_PEOPLE = 1
SLIP_PROMINENCE = 5
# A lone surname slip at the start of a sentence (no title before it) needs this many letters.
MIN_SLIP_SENTENCE_START = 6
# NAM003: the majority spelling must be in at least this many articles, and this many times as
# many as the minority spelling.
BATCH_MIN_DOCS = 2
BATCH_RATIO = 1.5
# ... when both spellings are real names (known first names / surnames): stronger evidence.
BATCH_STRONG_DOCS = 3
BATCH_STRONG_RATIO = 4
# Performance cap: a capitalised "word" longer than this is no name (the longest real name
# tokens, double-barrelled or transliterated, have about 25 letters) and is skipped by every
# name check; spelling-slip candidates are generated per letter, so a megabyte-long word would
# otherwise cost minutes.
MAX_NAME_TOKEN = 64
# Performance cap, the per-article budget of the name checks: the runs of capitalised words
# (where a full name can be) are examined up to this many tokens in all, the rest of a longer
# text is skipped. Each token costs ~40 microseconds (windows, gazetteer look-ups); ordinary news
# has ~14,000 such tokens per MB (69,297 in 5 MB of BBC copy), so only texts of ~10 MB of news, or
# ~1 MB of nothing but capitalised words, reach it. Keeps the family within ~7 s per article.
MAX_RUN_TOKENS = 150_000
# Performance cap (see "Per-article budget" in the README): names sharing a first name and the
# initial of the surname (or a surname and the initial of the first name) are compared in
# pairs, at most this many per group (the first in the text): a real article names a few
# dozen people at most; a megabyte of capitalised words would otherwise make the comparisons
# quadratic.
MAX_NAME_GROUP = 200

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
TOKEN_RE = re.compile(rf"{_INIT}|{_TOK}|\b{_PART}\b")
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


_fold_memo: dict[str, list[str]] = {}


def _keys(text: str) -> list[str]:
    k = _fold_memo.get(text)
    if k is None:
        if len(_fold_memo) > 200_000:
            _fold_memo.clear()
        k = [gz.fold(p) for p in _HYPHEN_RE.split(text) if p]
        k = [x for x in k if x]
        _fold_memo[text] = k
    return k


def _tokens(text: str, s: int, e: int) -> list[Tok]:
    out = []
    for m in TOKEN_RE.finditer(text, s, e):
        t = m.group()
        ts, te = m.start(), m.end()
        m2 = _CLITIC_RE.search(t)
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


_core_memo: dict[tuple[str, ...], tuple[str, ...]] = {}


def _core_t(toks: list[Tok]) -> tuple[str, ...]:
    """:func:`_core` as a tuple, memoised on the tokens' keys (a run of repeated capitalised
    words, "Blair Blair ...", asks for the same few windows again and again)."""
    keys = tuple(k for t in toks for k in t.keys)
    c = _core_memo.get(keys)
    if c is None:
        if len(_core_memo) > 200_000:
            _core_memo.clear()
        c = _core_memo[keys] = tuple(gz.core_tokens(list(keys)))
    return c


def similar(a: str, b: str) -> bool:
    """Could ``a`` be a misspelling of ``b`` (two different folded tokens)? Same initial, one
    edit (two for tokens of 8+ letters), not a plural or adjective ending."""
    if a == b or not a or not b or a[0] != b[0]:
        return False
    la, lb = len(a), len(b)
    m = min(la, lb)
    if m < 4 or abs(la - lb) > 2:
        return False
    if slip_suffix(a, b):
        return False  # plural, possessive or derived word ("Lanka"/"Lankan")
    if la == lb and a[:-2] == b[:-2] and {a[-2:], b[-2:]} == {"re", "er"}:
        return False  # British/American spelling ("Centre"/"Center")
    d = OSA.distance(a, b, score_cutoff=2)
    return d == 1 or (d == 2 and m >= 8)


_SUFFIXES = frozenset(("s", "es", "n", "an", "i", "ns", "is", "er", "ers"))


# -- NAM001 ----------------------------------------------------------------------------------------


@dataclass(slots=True)
class NearMiss:
    which: str  # "first" or "last": the token that differs
    pid: int
    form: str  # target display spelling
    target_key: str  # the target's folded token
    slip: bool = False  # the observed token is no known name and the target is prominent


def _person_pairs(g: gz.Gazetteer, pid: int) -> set[str]:
    """Pair keys of all spellings of one target person."""
    return g.person_pairs(pid)


def slip(a: str, b: str, min_len: int) -> bool:
    """Looser than :func:`similar`, for an observed token ``a`` that is nobody's name: a slip
    of one letter (two in 8+ letters) in ``b``, dropped or doubled last letters included
    ("Bide", "Bidenn"), but not a plural or possessive ending."""
    if a == b or not a or not b or a[0] != b[0]:
        return False
    la, lb = len(a), len(b)
    m = min(la, lb)
    if m < min_len or abs(la - lb) > 2:
        return False
    if la > lb and a.startswith(b) and a[lb:] in ("s", "es"):
        return False
    d = OSA.distance(a, b, score_cutoff=2)
    return d == 1 or (d == 2 and m >= 8)


def _raw_first(form: str) -> str:
    """The folded first token of a display form, before transliteration grouping."""
    k = _keys(form.split(" ", 1)[0])
    return k[0] if k else ""


def _unknown_first(g: gz.Gazetteer, f: str) -> bool:
    """Is ``f`` no (known, common) first name: "Daid", "Bris", "Hillari"? Only the shared
    legislator lists know enough names to tell."""
    return g.shared and f not in COMMON_FIRST and len(f) >= 3 and _first_n(g, f) <= MAX_SLIP_FIRST_PEOPLE


def _unknown_last(g: gz.Gazetteer, last: str) -> bool:
    """Is ``last`` nobody's surname: "Krery", "Prescot", "Blinke"?"""
    return (
        g.shared and last not in COMMON_LAST and len(last) >= 4 and _last_n(g, last) <= MAX_SLIP_LAST_PEOPLE
    )


def _first_n(g: gz.Gazetteer, f: str) -> int:
    return _memo(g, "fn", f, g.first_count)


def _last_n(g: gz.Gazetteer, last: str) -> int:
    return _memo(g, "ln", last, g.last_count)


def near_miss(g: gz.Gazetteer, core: list[str]) -> NearMiss | None:
    """The known person this (unknown) name is a near miss of, or None."""
    f, last = core[0], core[-1]
    cands: list[NearMiss] = []
    by_last = g.t_by_last.get(last, ())
    by_first = g.t_by_first.get(f, ())
    f_slip = bool(by_last) and _unknown_first(g, f)
    l_slip = bool(by_first) and _unknown_last(g, last)
    if f in STOP:
        return None
    for tf, pid, form in by_last:
        s = f_slip and g.prominent(pid, SLIP_PROMINENCE) and (slip(f, tf, 2) or slip(f, _raw_first(form), 2))
        if s or similar(f, tf):
            cands.append(NearMiss("first", pid, form, tf, s))
    for tl, pid, form in by_first:
        s = l_slip and g.prominent(pid, SLIP_PROMINENCE) and slip(last, tl, 4)
        if s or similar(last, tl):
            cands.append(NearMiss("last", pid, form, tl, s))
    if not cands:
        return None
    if g.is_known(" ".join(core)) or g.is_known(f"{f} {last}"):
        return None
    # one correction, one person
    pid = cands[0].pid
    pairs = _person_pairs(g, pid)
    for c in cands[1:]:
        if c.pid != pid and not (_person_pairs(g, c.pid) & pairs):
            return None
        pairs = pairs | _person_pairs(g, c.pid)
    # no other known spelling (of anyone) equally near; for a slip, spellings one letter from
    # the target's own are taken for variants of it ("Ed Milibrand" for Ed Miliband)
    sl = next((x for x in cands if x.slip), None)
    for tl in g.lasts_of(f):
        if (similar(last, tl) or l_slip and slip(last, tl, 4)) and f"{f} {tl}" not in pairs:
            if sl is None or sl.which != "last" or not slip(tl, sl.target_key, 4):
                return None
    for tf in g.firsts_of(last):
        if (similar(f, tf) or f_slip and slip(f, tf, 3)) and f"{tf} {last}" not in pairs:
            if sl is None or sl.which != "first" or not slip(tf, sl.target_key, 3):
                return None
    if sl is not None:
        return sl
    c = cands[0]
    if c.which == "first":
        if _last_people(g, last) > MAX_SURNAME_PEOPLE:
            return None
    else:
        limit = MAX_FIRST_PEOPLE_KNOWN_SURNAME if _last_people(g, last) else MAX_FIRST_PEOPLE_UNKNOWN
        if _first_people(g, f) > limit:
            return None
    return c


# Without the shared legislator lists the gazetteer knows too few people to tell a rare name
# from a common one; these everyday English-language names then count as common.
COMMON_FIRST = frozenset(
    """
    james john robert michael william david richard joseph thomas charles christopher daniel
    matthew anthony mark donald steven paul andrew joshua kenneth kevin brian george edward
    ronald timothy jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin
    scott brandon benjamin samuel frank gregory raymond alexander patrick jack dennis jerry
    tyler aaron henry adam douglas nathan peter zachary kyle walter harold jeremy ethan carl
    keith roger gerald christian terry sean arthur austin noah lawrence jesse joe bryan billy
    jordan albert dylan bruce willie gabriel alan logan wayne ralph roy eugene randy vincent
    russell louis philip bobby johnny bradley mary patricia jennifer linda elizabeth barbara
    susan jessica sarah karen nancy lisa betty margaret sandra ashley kimberly emily donna
    michelle dorothy carol amanda melissa deborah stephanie rebecca sharon laura cynthia
    kathleen amy shirley angela helen anna brenda pamela nicole emma samantha katherine
    christine debra rachel catherine carolyn janet ruth maria heather diane virginia julie
    joyce victoria olivia kelly christina lauren joan evelyn judith megan cheryl andrea hannah
    martha jacqueline frances gloria ann teresa kathryn sara janice jean alice doris julia
    judy grace denise marilyn danielle theresa sophia marie diana natalie charlotte rose ian
    tony mike tom jim bob bill dave chris steve tim nick dan ben sam alex matt andy pete ken
    jon simon neil graham colin martin gordon stuart hugh iain phil harry jamie lee
    """.split()
)
COMMON_LAST = frozenset(
    """
    smith johnson williams brown jones miller davis garcia rodriguez wilson martinez anderson
    taylor thomas hernandez moore martin jackson thompson white lopez lee gonzalez harris clark
    lewis robinson walker perez hall young allen sanchez wright king scott green baker adams
    nelson hill ramirez campbell mitchell roberts carter phillips evans turner torres parker
    collins edwards stewart flores morris nguyen murphy rivera cook rogers morgan peterson
    cooper reed bailey bell gomez kelly howard ward cox diaz richardson wood watson brooks
    bennett gray james reyes cruz hughes price myers long foster sanders ross morales powell
    sullivan russell ortiz jenkins perry butler barnes fisher henderson coleman simmons
    patterson jordan reynolds hamilton graham kim wallace griffin west cole hayes gibson bryant
    ellis stevens murray ford marshall owens mcdonald harrison kennedy wells woods webb tucker
    freeman burns henry snyder simpson crawford porter mason shaw gordon wagner hunter hicks
    dixon hunt palmer robertson black holmes stone meyer boyd mills warren fox rose rice
    schmidt patel ferguson nichols ryan weaver daniels stephens gardner payne dunn pierce
    arnold spencer peters hawkins grant hart elliott cunningham knight bradley wang li zhang
    liu chen yang huang zhao wu zhou khan ali ahmed hussain singh kumar sharma cohen levi
    """.split()
)


def _first_people(g: gz.Gazetteer, f: str) -> int:
    n = g.first_count(f)
    return n if g.shared or f not in COMMON_FIRST else max(n, 1000)


def _last_people(g: gz.Gazetteer, last: str) -> int:
    n = g.last_count(last)
    return n if g.shared or last not in COMMON_LAST else max(n, 1000)


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


# -- per document ----------------------------------------------------------------------------------

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


def _is_first_token(g: gz.Gazetteer, t: Tok, text: str) -> bool:
    """Can this token start a person's name? A known first name, or any capitalised word of 3+
    letters that does not start a sentence or line."""
    if t.particle or not t.keys:
        return False
    k = t.keys[0]
    if k in STOP or len(k) < 2 or t.text.isupper() and len(t.text) > 1 and "." not in t.text:
        return False
    if _is_given_name(g, k):
        return True
    if len(k) < 3 or not t.text[:1].isupper():
        return False
    j = t.start - 1
    while j >= 0 and text[j] in " \t\u00a0":
        j -= 1
    return j >= 0 and text[j] not in ".!?\n\"“”'‘’:;(-–—•*"


def _is_given_name(g: gz.Gazetteer, k: str) -> bool:
    k = gz.first_canon(k)
    return k in COMMON_FIRST or _memo(g, "f", k, g.is_first_name)


def _is_known(g: gz.Gazetteer, key: str) -> bool:
    return _memo(g, "k", key, g.is_known)


_memo_store: dict = {}


def _memo(g: gz.Gazetteer, kind: str, key: str, fn) -> bool:
    """Memoised gazetteer look-ups (per gazetteer object; bounded)."""
    store = _memo_store.get(id(g))
    if store is None or store[0] is not g:
        _memo_store.clear()
        store = _memo_store[id(g)] = (g, {})
    d = store[1]
    mk = (kind, key)
    v = d.get(mk, _MISSING)
    if v is _MISSING:
        if len(d) > 200_000:
            d.clear()
        v = d[mk] = fn(key)
    return v


_MISSING = object()


def _may_near(g: gz.Gazetteer, toks: list[Tok]) -> bool:
    """Can any window of this run be a near miss (a token equal to a target's first or last)?"""
    tf, tl = g.t_by_first, g.t_by_last
    for t in toks:
        for k in t.keys:
            if k in tl or gz.first_canon(k) in tf:
                return True
    return False


def analyse(text_or_doc: str | Document) -> Analysis:
    """Name mentions and NAM001/NAM002 findings of one article (cached per Document, so
    :func:`detect` and :func:`detect_batch` share the work)."""
    doc = as_document(text_or_doc)
    if not isinstance(text_or_doc, Document):
        return _analyse(doc.text)
    cached = _cache.get(doc)
    if cached is not None and cached[0] is gz.current():
        return cached[1]
    res = _analyse(doc.text)
    _cache[doc] = (gz.current(), res)
    return res


_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _analyse(text: str) -> Analysis:
    res = Analysis()
    runs = list(RUN_RE.finditer(text))
    if not runs:
        return res
    g = gz.get()
    budget = MAX_RUN_TOKENS
    for toks in (r for run in runs for r in _split_runs(_tokens(text, run.start(), run.end()))):
        budget -= len(toks)
        if budget < 0:
            break  # the per-article budget of the name checks (see MAX_RUN_TOKENS)
        taken = [False] * len(toks)
        # NAM001 near misses, leftmost start first
        for i, j in _windows(toks) if _may_near(g, toks) else ():
            if any(taken[i:j]):
                continue
            core = _core_t(toks[i:j])
            if len(core) < 2:
                continue
            nm = _memo(g, "nm", core, lambda c: near_miss(g, list(c)))
            if nm is None:
                continue
            if nm.which == "first" and toks[i].keys and gz.first_canon(toks[i].keys[0]) != core[0]:
                continue
            m = Mention(toks[i].start, toks[j - 1].end, toks[i:j], tuple(core), known=False, flagged=True)
            res.mentions.append(m)
            for k in range(i, j):
                taken[k] = True
            obs = text[m.start : m.end]
            sugg = _replace(m, nm.which, _form_token(nm.form, nm.which))
            canonical = g.persons[nm.pid][0]
            res.findings.append(
                Finding(
                    FAMILY,
                    "NAM001",
                    m.start,
                    m.end,
                    f"'{obs}' looks like a misspelling of {canonical}",
                    suggestion=sugg,
                )
            )
        # person-name mentions for NAM002/NAM003: known spellings, else the run from a first name
        i = 0
        while i < len(toks):
            if taken[i] or not _is_first_token(g, toks[i], text):
                i += 1
                continue
            found = None
            for j in range(min(len(toks), i + _MAX_CORE + 2), i + 1, -1):
                if toks[j - 1].particle or any(taken[i:j]):
                    continue
                core = _core_t(toks[i:j])
                if 2 <= len(core) <= _MAX_CORE and (
                    _is_known(g, " ".join(core)) or _is_known(g, f"{core[0]} {core[-1]}")
                ):
                    found = (j, list(core), True)
                    break
            if found is None:
                # unknown name: the first name and the next word (particles between)
                j = i + 1
                while j < len(toks) and toks[j].particle:
                    j += 1
                if j < len(toks) and not any(taken[i : j + 1]):
                    core = _core(toks[i : j + 1])
                    if len(core) == 2:
                        found = (j + 1, core, False)
            if found is None:
                i += 1
                continue
            j, core, known = found
            res.mentions.append(Mention(toks[i].start, toks[j - 1].end, toks[i:j], tuple(core), known))
            for k in range(i, j):
                taken[k] = True
            i = j
    res.mentions.sort(key=lambda m: m.start)
    _nam002(g, text, res)
    _surname_slips(g, text, res)
    _full_name_slips(g, text, res)
    _given_name_slips(g, res, text)
    _typing_slips(text, res)
    return res


# A capitalised word standing alone (not next to another capitalised word): a surname mention.
_WORD_RE = re.compile(rf"(?<![\w'’\-.]){_UP}[a-zà-ÿ]+(?:['’][a-z]+)?(?![\w\-‐])")
TITLES = frozenset("mr mrs ms miss dr prof sir dame lord lady president minister chancellor senator".split())
_SAID_RE = re.compile(
    r"(?:['’]s)?,?[ \u00a0]+(?:has |had |also |then |later )?"
    r"(?:said|says|told|added|argued|insisted|warned|claimed|replied|wrote|stressed|admitted)\b"
)
_SENT_END = ".!?\n\"“”'‘’:;(-–—•*"


def _surname_slips(g: gz.Gazetteer, text: str, res: Analysis) -> None:
    """NAM002 for a lone surname one letter from the surname of someone named in full in this
    article ("Mr Blari" after "Tony Blair"), when the word is nobody's name."""
    surnames: dict[str, str] = {}
    for m in res.mentions:
        if m.known and len(m.core[-1]) >= 4 and m.toks[-1].text[:1].isupper():
            surnames.setdefault(m.core[-1], m.toks[-1].text)
    if not surnames:
        return
    initials = {k[0] for k in surnames}
    # by initial and length: a slip keeps the initial and the length within one or two
    by_shape: dict[tuple[str, int], list[str]] = {}
    for k in surnames:
        by_shape.setdefault((k[0], len(k)), []).append(k)
    # not inside a known name or a finding; an unknown name's last word may be a slip ("Cherie Blari")
    spans = [(m.start, m.end if m.known else m.toks[-1].start) for m in res.mentions]
    spans += [(f.start, f.end) for f in res.findings]
    # words come in text order and do not overlap, so the spans this loop adds (below) never
    # overlap a later word: the spans known now are all that matter
    overlaps = _Overlaps(spans)
    # where the last word of an unknown name of two or more words starts ("Cherie Blari")
    named_last = {m.toks[-1].start for m in res.mentions if not m.known and m.start < m.toks[-1].start}
    seen: dict[str, int] = {}
    for w in _WORD_RE.finditer(text):
        tok = w.group()
        m2 = _CLITIC_RE.search(tok)
        if m2 and m2.start() > 0:
            tok = tok[: m2.start()]
        k = gz.fold(tok)
        if k[:1] not in initials or k in surnames or len(k) < 4:
            continue
        near = [s for d in range(-2, 3) for s in by_shape.get((k[0], len(k) + d), ()) if slip(k, s, 4)]
        if len(near) != 1:
            continue
        s0, e0 = w.start(), w.start() + len(tok)
        if overlaps.hits(s0, e0):
            continue
        if k in COMMON_LAST or k in COMMON_FIRST or g.last_count(k) or _is_given_name(g, k) or not g.shared:
            continue
        if g.is_user_token(k):
            continue
        # a title before it, or a word inside a sentence used once and never in lower case
        j = s0 - 1
        while j >= 0 and text[j] in " \t\u00a0":
            j -= 1
        prev = re.search(r"(\w+)\.?$", text[max(0, j - 20) : j + 1]) if j >= 0 else None
        titled = prev is not None and prev.group(1).lower() in TITLES
        # a title before it ("Mr Blari"), a first name ("Cherie Blari"), or a reporting verb
        # after it ("..., Blari said"); used once and never in lower case
        if not titled:
            after = _SAID_RE.match(text, e0)
            named = s0 in named_last
            if not (after or named):
                continue
            if (j < 0 or text[j] in _SENT_END) and len(k) < MIN_SLIP_SENTENCE_START:
                continue
            n = seen.get(k)
            if n is None:
                n = seen[k] = _count_token(text, tok) + _word_used(text, tok.lower())
            if n > 1:
                continue
        good = surnames[near[0]]
        if _count_token(text, good) < 1:
            continue
        spans.append((s0, e0))
        res.findings.append(
            Finding(
                FAMILY,
                "NAM002",
                s0,
                e0,
                f"'{tok}' looks like a misspelling of '{good}', named in full in this article",
                suggestion=good,
            )
        )


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


def _lone_surnames(text: str) -> Counter:
    """Folded capitalised words standing alone (not part of a capitalised run), with counts."""
    out: Counter = Counter()
    for w in _WORD_RE.finditer(text):
        tok = w.group()
        m2 = _CLITIC_RE.search(tok)
        if m2 and m2.start() > 0:
            tok = tok[: m2.start()]
        out[gz.fold(tok)] += 1
    return out


class _FirstUse:
    """The first capitalised word (text order) whose folded form starts with a given prefix,
    found by bisection in the sorted folded forms rather than by a scan of the text per query."""

    def __init__(self, text: str):
        first: dict[str, tuple[int, str]] = {}
        for i, w in enumerate(_WORD_RE.finditer(text)):
            k = gz.fold(w.group())
            if k not in first:
                first[k] = (i, w.group())
        self.keys = sorted(first)
        self.first = first

    def find(self, prefix: str) -> str | None:
        lo = bisect.bisect_left(self.keys, prefix)
        best = None
        for k in itertools.islice(self.keys, lo, None):
            if not k.startswith(prefix):
                break
            if best is None or self.first[k][0] < best[0]:
                best = self.first[k]
        return None if best is None else best[1]


def _full_name_slips(g: gz.Gazetteer, text: str, res: Analysis) -> None:
    """NAM002 for a full name whose surname is nobody's name and one slip from a surname the
    article uses on its own at least as often ("Stewart Dwoning ... Downing said")."""
    cands = [
        m
        for m in res.mentions
        if not m.known
        and not m.flagged
        and len(m.toks) >= 2
        and _unknown_last(g, m.core[-1])
        and _is_given_name(g, m.core[0])
        and not _is_given_name(g, m.core[-1])
        and m.toks[-1].text[:1].isupper()
    ]
    if not cands:
        return
    lone = _lone_surnames(text)
    # lone words used twice or more, by initial and length (a slip keeps the initial and the
    # length within two): each candidate looks at a few buckets, not at every word
    buckets: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for w, n in lone.items():
        if n >= 2 and w:
            buckets.setdefault((w[0], len(w)), []).append((w, n))
    n_last = Counter(x.core[-1] for x in res.mentions)
    first_use = None
    for m in cands:
        last = m.core[-1]
        n_obs = n_last[last] + lone.get(last, 0)
        near = [
            w
            for d in range(-2, 3)
            for w, n in buckets.get((last[:1], len(last) + d), ())
            if n >= max(2, n_obs + 1) and w != last and slip(last, w, 4) and not slip_suffix(last, w)
        ]
        if len(near) != 1 or any(f.start < m.end and m.start < f.end for f in res.findings):
            continue
        if first_use is None:
            first_use = _FirstUse(text)
        good_tok = first_use.find(near[0])
        if good_tok is None:
            continue
        good_tok = _CLITIC_RE.sub("", good_tok)
        obs = text[m.start : m.end]
        _flag(res, m, "NAM002", f"'{obs}': the surname is spelled '{good_tok}' elsewhere in this article",
              _replace(m, "last", good_tok))  # fmt: skip


# NAM005: a common given name is one shared by at least this many known people (or in COMMON_FIRST).
MIN_COMMON_GIVEN = 25
_given_index: dict = {}


def _common_given(g: gz.Gazetteer) -> dict[str, list[tuple[str, int]]]:
    """Common given names of the gazetteer, by initial, with their counts (built once)."""
    hit = _given_index.get(id(g))
    if hit is not None and hit[0] is g:
        return hit[1]
    counts: Counter = Counter()
    for k in g.s_fl:
        counts[k.split(" ", 1)[0]] += 1
    for f, lasts in g.fl.items():
        counts[f] += len(lasts)
    by_initial: dict[str, list[tuple[str, int]]] = {}
    for f, n in counts.items():
        if len(f) >= 3 and (n >= MIN_COMMON_GIVEN or f in COMMON_FIRST):
            by_initial.setdefault(f[0], []).append((f, n))
    for f in COMMON_FIRST:
        if f not in counts:
            by_initial.setdefault(f[0], []).append((f, MIN_COMMON_GIVEN))
    _given_index.clear()
    _given_index[id(g)] = (g, by_initial)
    return by_initial


def _given_slip(index: dict[str, list[tuple[str, int]]], f: str) -> str:
    """The common given name ``f`` is a typing slip of (clearly the most common such), or ''.
    Only swapped or doubled letters: real given names are often one substitution or dropped
    letter from another ("Joss", "Jerzy", "Barbra", "Stevie")."""
    sources = _slip_sources(f, restore_dropped=False)
    near = sorted(((n, c) for c, n in index.get(f[0], ()) if c in sources), reverse=True)
    if not near or (len(near) > 1 and near[1][0] * 3 > near[0][0]):
        return ""
    return near[0][1]


def _given_name_slips(g: gz.Gazetteer, res: Analysis, text: str) -> None:
    """NAM005 for a two-word name whose first word is nobody's given name (nor surname), a word
    neither the language model nor the reference news know, and one typing slip from a common
    given name ("Anyd Robinson" -> Andy, "Peeter Kenyon" -> Peter)."""
    if not g.shared:
        return
    index = None
    for m in res.mentions:
        if m.known or m.flagged or len(m.toks) < 2 or m.toks[0].particle:
            continue
        f = m.core[0]
        if len(f) < 4 or not _unknown_first(g, f) or _last_n(g, f) or f in COMMON_LAST or f in STOP:
            continue
        if not m.toks[0].text[:1].isupper() or m.toks[0].text.isupper():
            continue
        if index is None:
            index = _common_given(g)
        good = _memo(g, "given-slip", f, lambda f, index=index: _given_slip(index, f))
        if not good:
            continue
        if any(x.start < m.end and m.start < x.end for x in res.findings):
            continue
        if _word_used(text, m.toks[0].text.lower()):
            continue  # also used as an ordinary word
        if _known_word(f) or user_known(f):
            continue  # the language model or the reference news know it ("Renee", "Joss")
        tok = m.toks[0].text
        good_tok = good.upper() if tok.isupper() else good.capitalize()
        obs = text[m.start : m.end]
        _flag(res, m, "NAM005", f"'{tok}' in '{obs}' is nobody's given name; a slip of '{good_tok}'?",
              _replace(m, "first", good_tok))  # fmt: skip


# NAM006: a known word or name is one with at least this natural-log unigram probability in the
# general-English language model (about 1 in 1.2 million words); words this short are skipped.
MIN_SLIP_TARGET_LOGP = -14.0
MIN_TYPING_SLIP_LEN = 5
_CAP_WORD_RE = re.compile(r"(?<![\w'’\-‐])([A-Z][a-z]{4,})(?![\w\-‐'’])")
_ABC = "abcdefghijklmnopqrstuvwxyz"


def _slip_sources(w: str, restore_dropped: bool = True) -> set[str]:
    """Words ``w`` may be a typing slip of (same first letter): two adjacent letters swapped
    back, a doubled letter undoubled, and (7+ letters, ``restore_dropped``) one dropped letter
    restored. Other slips (substituted or added letters) turn too many real names into
    near-words ("Griffen", "Symmons", "Saabs")."""
    n = len(w)
    out = {w[:i] + w[i + 1] + w[i] + w[i + 2 :] for i in range(1, n - 1) if w[i] != w[i + 1]}
    out.update(w[:i] + w[i + 1 :] for i in range(1, n) if w[i] == w[i - 1])
    if restore_dropped and n >= 7:
        out.update(w[:i] + c + w[i:] for i in range(1, n + 1) for c in _ABC)
    out.discard(w)
    return out


@lru_cache(maxsize=1 << 16)
def _known_word(w: str) -> bool:
    """Does the general-English language model or the reference news vocabulary know ``w``?"""
    from .fluency import in_reference_vocabulary
    from .fluency_lm import unigram_logprob

    return unigram_logprob(w) is not None or in_reference_vocabulary(w)


@lru_cache(maxsize=1 << 16)
def _slip_target(w: str) -> str | None:
    """The most frequent known word ``w`` is one typing slip of, or None."""
    from .fluency_lm import unigram_logprob

    best = None
    for v in _slip_sources(w):
        lp = unigram_logprob(v)
        if lp is not None and lp >= MIN_SLIP_TARGET_LOGP and (best is None or lp > best[0]):
            best = (lp, v)
    return None if best is None else best[1]


@lru_cache(maxsize=1 << 14)
def _swap_target(w: str) -> str | None:
    """The most frequent known word ``w`` is two swapped adjacent letters of, or None."""
    from .fluency_lm import unigram_logprob

    best = None
    for i in range(1, len(w) - 1):
        v = w[:i] + w[i + 1] + w[i] + w[i + 2 :]
        lp = unigram_logprob(v) if v != w else None
        if lp is not None and lp >= MIN_SLIP_TARGET_LOGP and (best is None or lp > best[0]):
            best = (lp, v)
    return None if best is None else best[1]


def _typing_slips(text: str, res: Analysis) -> None:
    """NAM006 for a capitalised word that neither the language model nor the reference news
    vocabulary knows, used at most twice, and one typing slip from a frequent word or name
    ("Capmbell" -> Campbell, "Madird" -> Madrid, "Hollwood" -> Hollywood)."""
    from .fluency_lm import lm_available

    if not lm_available():
        return
    counts: Counter | None = None
    # findings so far; the ones this loop adds are on earlier words and never overlap a later one
    taken = _Overlaps([(f.start, f.end) for f in res.findings])
    for m in _CAP_WORD_RE.finditer(text):
        tok = m.group(1)
        if len(tok) > MAX_NAME_TOKEN:
            continue
        w = tok.lower()
        if _known_word(w) or user_known(w):
            continue
        if counts is None:
            counts = Counter(x.group(1) for x in _CAP_WORD_RE.finditer(text))
        if counts[tok] > 2:
            continue  # a word used deliberately
        s0, e0 = m.start(1), m.end(1)
        if taken.hits(s0, e0):
            continue
        best = _slip_target(w)
        if best is None:
            continue
        good = best.capitalize()
        res.findings.append(
            Finding(
                FAMILY,
                "NAM006",
                s0,
                e0,
                f"'{tok}' is in no lexicon; a typing slip of '{good}'?",
                suggestion=good,
            )
        )


def user_known(key: str) -> bool:
    """Is this folded word in the user's names files (``--names``, ``$DETECTOR_NAMES``)?"""
    return gz.get().is_user_token(key)


def slip_suffix(a: str, b: str) -> bool:
    """Do ``a`` and ``b`` differ only by an ending (a derived form, not a slip)?"""
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return long_.startswith(short) and long_[len(short) :] in _SUFFIXES


def _variant_pair(g: gz.Gazetteer, a: str, b: str) -> bool:
    """Are two pair keys spellings of the same target person?"""
    pa, pb = g.pair_pids.get(a), g.pair_pids.get(b)
    return bool(pa and pb and pa & pb)


def _differs(a: Mention, b: Mention) -> str | None:
    """'first'/'last' when two mentions' names differ by a near-miss in exactly that token."""
    fa, la, fb, lb = a.core[0], a.core[-1], b.core[0], b.core[-1]
    if fa == fb and la != lb and similar(la, lb):
        return "last"
    if la == lb and fa != fb and similar(fa, fb):
        return "first"
    return None


def _popularity(g: gz.Gazetteer, which: str, m: Mention) -> int:
    return g.first_count(m.core[0]) if which == "first" else g.last_count(m.core[-1])


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
            if p >= after and text.startswith(tok, p) and not (p + k < len(text) and _RUN_W_RE.match(text, p + k)):
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
    if tok[:1].isalnum() and tok[-1:].isalnum() and _RUN_W_RE.fullmatch(tok[0]) and _RUN_W_RE.fullmatch(tok[-1]):
        return _count_token(text, tok)
    return len(re.findall(rf"\b{re.escape(tok)}\b", text))


def _similar_pairs(keys: list[str], first: list[Mention]) -> list[tuple[int, int]]:
    """Index pairs (x < y, in order) of pair keys that :func:`_differs` may match: the same
    first name and the same initial of the surname, or the same surname and the same initial
    of the first name (a near miss keeps the initial). Comparing every pair of names was
    quadratic in the names of the article (hours for a megabyte of capitalised words); the
    groups keep it near-linear. Same pairs, same order, as the full double loop."""
    groups: dict[tuple, list[int]] = {}
    for x, m in enumerate(first):
        f, last = m.core[0], m.core[-1]
        groups.setdefault(("f", f, last[:1]), []).append(x)
        groups.setdefault(("l", last, f[:1]), []).append(x)
    out: set[tuple[int, int]] = set()
    for idx in groups.values():
        if len(idx) < 2:
            continue
        idx = idx[:MAX_NAME_GROUP]
        for a in range(len(idx)):
            for b in range(a + 1, len(idx)):
                out.add((idx[a], idx[b]))
    return sorted(out)


def _nam002(g: gz.Gazetteer, text: str, res: Analysis) -> None:
    by_pair: dict[str, list[Mention]] = {}
    for m in res.mentions:
        by_pair.setdefault(m.pair, []).append(m)
    if len(by_pair) < 2:
        return
    keys = list(by_pair)
    for x, y in _similar_pairs(keys, [by_pair[k][0] for k in keys]):
        ma, mb = by_pair[keys[x]], by_pair[keys[y]]
        which = _differs(ma[0], mb[0])
        if which is None:
            continue
        known_a = any(m.known for m in ma)
        known_b = any(m.known for m in mb)
        if known_a and known_b or _variant_pair(g, keys[x], keys[y]):
            continue
        if any(m.flagged for m in ma) or any(m.flagged for m in mb):
            continue  # NAM001 already
        if known_a != known_b:
            right, wrong = (ma, mb) if known_a else (mb, ma)
        else:
            ta = ma[0].toks[0 if which == "first" else -1].text
            tb = mb[0].toks[0 if which == "first" else -1].text
            # more mentions wins; then the longer spelling (dropped letters are the commoner
            # slip); then the spelling of more known people; then the first used
            sa = (_count_token(text, ta), len(ma), len(ta), _popularity(g, which, ma[0]), -ma[0].start)
            sb = (_count_token(text, tb), len(mb), len(tb), _popularity(g, which, mb[0]), -mb[0].start)
            right, wrong = (ma, mb) if sa > sb else (mb, ma)
        good = right[0].toks[0 if which == "first" else -1].text
        for m in wrong:
            obs = text[m.start : m.end]
            _flag(res, m, "NAM002", f"'{obs}' is also spelled '{right[0].text}' in this article",
                  _replace(m, which, good))  # fmt: skip


def detect(text: str | Document) -> list[Finding]:
    """NAM001 and NAM002 findings for one article."""
    return list(analyse(text).findings)


def _confirm_from_batch(docs: list[Document], analyses: list, out: list[list[Finding]]) -> None:
    """NAM001 findings whose right spelling other articles of the batch use are re-issued with
    that evidence in the message. Same code and span, so :func:`detector.api._dedupe` keeps this
    one in place of the per-article finding and nothing is counted twice."""
    for i, a in enumerate(analyses):
        for f in a.findings:
            if f.code != "NAM001" or not f.suggestion:
                continue
            others = sum(1 for j, d in enumerate(docs) if j != i and f.suggestion in d.text)
            if others:
                who = (
                    "1 other article in this batch spells"
                    if others == 1
                    else (f"{others} other articles in this batch spell")
                )
                out[i].append(dataclasses.replace(f, message=f"{f.message}; {who} it '{f.suggestion}'"))


def detect_batch(docs: list[Document]) -> list[list[Finding]]:
    """NAM003: spellings of a name used in a minority of the batch's articles; and NAM001
    findings confirmed by the spelling other articles of the batch use."""
    analyses = [analyse(d) for d in docs]
    out: list[list[Finding]] = [[] for _ in docs]
    if len(docs) < 2:
        return out
    _confirm_from_batch(docs, analyses, out)
    forms: dict[str, dict[int, list[Mention]]] = {}
    for i, a in enumerate(analyses):
        for m in a.mentions:
            forms.setdefault(m.pair, {}).setdefault(i, []).append(m)
    if len(forms) < 2:
        return out
    g = gz.get()
    # spellings that are certainly person names: known, or starting with a known given name
    person = {
        k: any(m.known for ms in per_doc.values() for m in ms) or _is_given_name(g, k.split(" ", 1)[0])
        for k, per_doc in forms.items()
    }
    # spellings sharing the first name (last name) and the initial of the other: the only ones
    # that can be similar (keeps large batches fast)
    by_first: dict[tuple[str, str], list[str]] = {}
    by_last: dict[tuple[str, str], list[str]] = {}
    for k in forms:
        f, last = k.split(" ", 1)
        by_first.setdefault((f, last[:1]), []).append(k)
        by_last.setdefault((last, f[:1]), []).append(k)
    flagged: set[tuple[int, int]] = set()
    for k, per_doc in forms.items():
        f, last = k.split(" ", 1)
        n_min = len(per_doc)
        best = None
        for other in by_first.get((f, last[:1]), []) + by_last.get((last, f[:1]), []):
            if other == k:
                continue
            of, ol = other.split(" ", 1)
            if not ((of == f and similar(last, ol)) or (ol == last and similar(f, of))):
                continue
            n_maj = len(forms[other])
            if not person[other]:
                continue
            if n_maj >= BATCH_MIN_DOCS and n_maj >= BATCH_RATIO * n_min and (best is None or n_maj > best[1]):
                best = (other, n_maj)
        if best is None:
            continue
        mentions = [m for ms in per_doc.values() for m in ms]
        if any(m.known for m in mentions):
            continue
        if _variant_pair(g, k, best[0]):
            continue
        other = best[0]
        ref = next(m for ms in forms[other].values() for m in ms)
        which = "first" if other.split(" ", 1)[0] != f else "last"
        if which == "last":
            both_real = g.last_count(last) > 0 and g.last_count(ref.core[-1]) > 0
        else:
            both_real = g.is_first_name(f) and g.is_first_name(ref.core[0])
        if both_real and (best[1] < BATCH_STRONG_DOCS or best[1] < BATCH_STRONG_RATIO * n_min):
            continue  # two real names: only overwhelming batch evidence
        good = ref.toks[0 if which == "first" else -1].text
        for i, ms in per_doc.items():
            text = docs[i].text
            for m in ms:
                if m.flagged or (i, m.start) in flagged:
                    continue
                if any(fd.start < m.end and m.start < fd.end for fd in analyses[i].findings):
                    continue
                flagged.add((i, m.start))
                obs = text[m.start : m.end]
                out[i].append(
                    Finding(
                        FAMILY,
                        "NAM003",
                        m.start,
                        m.end,
                        f"'{obs}' is spelled '{ref.text}' in {best[1]} other articles of this batch",
                        suggestion=_replace(m, which, good),
                    )
                )
    return out


# -- NAM004: LanguageTool's unknown capitalised words ---------------------------------------------
# LanguageTool's spell-checker does not know most names in the news (Rafah, Zuma, Barnea,
# Bremmer), so an unknown capitalised word is a *misspelling* (NAM004, warning) only with
# corroboration (:func:`unknown_word_evidence`). Otherwise it is at most a note -- family
# ``note``, severity info, which no model counts -- and only when the user asks for notes:
# ``DETECTOR_NAM004_NOTES=1``. Words of the user's names files (``--names``) get neither.
NAM004_NOTES_ENV = "DETECTOR_NAM004_NOTES"
# A word used more often than this in the article is deliberate, not a slip (as for NAM006).
MAX_UNKNOWN_USES = 2
# Another spelling in the same article must be used at least this often (and more often).
MIN_VARIANT_USES = 2
# ... in the batch: in at least this many other articles, none of which uses the unknown spelling.
MIN_VARIANT_DOCS = 2


def nam004_notes_enabled() -> bool:
    """Are uncorroborated NAM004 notes wanted (``DETECTOR_NAM004_NOTES=1``)?"""
    import os

    return os.environ.get(NAM004_NOTES_ENV, "").strip().lower() not in ("", "0", "no", "false", "off")


_CAP_TOKEN_RE = re.compile(rf"(?<![\w'’\-‐]){_UP}{_LET}+(?:['’]{_LET}+)?(?![\w\-‐])")


def capitalised_counts(text: str) -> Counter:
    """Capitalised words of a text (possessive endings cut) with their counts."""
    out: Counter = Counter()
    for m in _CAP_TOKEN_RE.finditer(text):
        tok = _CLITIC_RE.sub("", m.group())
        if 1 < len(tok) <= MAX_NAME_TOKEN:
            out[tok] += 1
    return out


def typing_slip(a: str, b: str) -> bool:
    """Is ``a`` one typing slip from ``b`` (folded words of 5+ letters, same initial): two
    adjacent letters swapped, or one letter added or dropped -- not a substituted letter, which
    as often makes another real name ("Hamad"/"Hamas", "Marca"/"March"), nor a different
    ending ("Koreas"/"Korean", "Lanka"/"Lankan")."""
    if a == b or a[:1] != b[:1] or min(len(a), len(b)) < 5:
        return False
    la, lb = len(a), len(b)
    if la == lb:
        diff = [i for i in range(la) if a[i] != b[i]]
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    if abs(la - lb) != 1:
        return False
    short, long_ = (a, b) if la < lb else (b, a)
    i = next((i for i in range(len(short)) if short[i] != long_[i]), len(short))
    if i == len(short):
        return False  # an added ending ("Korea"/"Koreas")
    return short[i:] == long_[i + 1 :]


class SpellingIndex:
    """Capitalised words (surface form -> count) by folded initial and length, so the spellings
    one edit from a word are found without a pass over the whole vocabulary."""

    def __init__(self, counts: Counter):
        self.counts = counts
        self.buckets: dict[tuple[str, int], list[tuple[str, str]]] = {}
        for w in counts:
            k2 = gz.fold(w)
            if k2:
                self.buckets.setdefault((k2[0], len(k2)), []).append((w, k2))

    def variant(self, k: str, min_n: int, exclude: str, minus: Counter | None = None) -> tuple[str, int] | None:
        """The one spelling that ``k`` (folded) is a typing slip of (:func:`typing_slip`), used at
        least ``min_n`` times (less its count in ``minus``); None if none or several."""
        found: dict[str, tuple[str, int]] = {}
        for d in range(-2, 3):
            for w, k2 in self.buckets.get((k[:1], len(k) + d), ()):
                n = self.counts[w] - (1 if minus is not None and w in minus else 0)
                if n < min_n or w == exclude or k2 == k or not typing_slip(k, k2):
                    continue
                if k2 not in found or n > found[k2][1]:
                    found[k2] = (w, n)
        return next(iter(found.values())) if len(found) == 1 else None


_prominent_index: dict = {}


def _prominent_surnames(g: gz.Gazetteer) -> dict[tuple[str, int], list[tuple[str, int]]]:
    """Surnames of the gazetteer's most prominent people (curated list, US executive, user
    files), by initial and length, with one person id each (built once per gazetteer)."""
    hit = _prominent_index.get(id(g))
    if hit is not None and hit[0] is g:
        return hit[1]
    idx: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for last, entries in g.t_by_last.items():
        pids = [pid for _, pid, _ in entries if g.prominent(pid, gz.PROMINENT)]
        if pids and len(last) >= 5:
            idx.setdefault((last[0], len(last)), []).append((last, pids[0]))
    _prominent_index.clear()
    _prominent_index[id(g)] = (g, idx)
    return idx


def unknown_word_evidence(
    text: str, start: int, end: int, index: SpellingIndex | None = None
) -> tuple[str, str] | str | None:
    """What corroborates that the capitalised word ``text[start:end]``, unknown to LanguageTool,
    is a misspelling: ``(evidence in words, suggested spelling)``; ``"known"`` when the user's
    names files list it (no finding at all); None when nothing does (at most a note).

    Corroboration, in order: another spelling of it used more often in the same article (one
    typing slip away, :func:`typing_slip`: "Zelenksy" once, "Zelensky" three times); a typing slip (swapped,
    doubled or dropped letter) of a frequent word or name that the language model knows, when
    the word itself is in no lexicon ("Capmbell"); a slip of the surname of one of the
    gazetteer's most prominent people, when the word is nobody's name in the shared lists
    ("Merkle" for Merkel). ``index``: the :class:`SpellingIndex` of :func:`capitalised_counts`
    of ``text`` (built if None)."""
    word = _CLITIC_RE.sub("", text[start:end])
    toks = [t for t in _HYPHEN_RE.split(word) if t]
    g = gz.get()
    keys = [gz.fold(t) for t in re.split(r"[\s\-‐]+", word) if t]
    if any(g.is_user_token(k) for k in keys):
        return "known"
    if " " in word.strip():
        # LanguageTool's multi-word match ("Jhon Smiht"): corroborated if one of its words is
        if index is None:
            index = SpellingIndex(capitalised_counts(text))
        reasons, fixed = [], []
        for m in re.finditer(r"\S+", word):
            ev = unknown_word_evidence(text, start + m.start(), start + m.end(), index) if m.group()[:1].isupper() else None
            if isinstance(ev, tuple):
                reasons.append(f"'{m.group()}': {ev[0]}")
                fixed.append(ev[1])
            else:
                fixed.append(m.group())
        return ("; ".join(reasons), " ".join(fixed)) if reasons else None
    if len(toks) != 1 or len(word) > MAX_NAME_TOKEN or len(word) < 4:
        return None
    k = gz.fold(word)
    if index is None:
        index = SpellingIndex(capitalised_counts(text))
    n_here = index.counts.get(word, 0)
    if n_here > MAX_UNKNOWN_USES:
        return None
    v = index.variant(k, max(MIN_VARIANT_USES, n_here + 1), word)
    if v is not None:
        return f"'{v[0]}' is used {v[1]} times in this article", v[0]
    from .fluency_lm import lm_available

    if lm_available() and len(k) >= 4 and not _known_word(k):
        # 4 letters: swapped letters only ("Jhon"); an undoubled one makes words ("Baat")
        best = _slip_target(k) if len(k) >= MIN_TYPING_SLIP_LEN else _swap_target(k)
        if best is not None:
            good = best.capitalize()
            return f"it is one typing slip from '{good}'", good
    if g.shared and not g.last_count(k) and not _is_given_name(g, k) and k not in COMMON_LAST:
        near = [
            (t, pid)
            for d in range(-1, 2)
            for t, pid in _prominent_surnames(g).get((k[0], len(k) + d), ())
            if t in _slip_sources(k, restore_dropped=True) or k in _slip_sources(t, restore_dropped=False)
        ]
        if len(near) == 1:
            t, pid = near[0]
            form = _form_token(g.persons[pid][0], "last")
            return f"it is one slip from the surname of {g.persons[pid][0]}", form
    return None


def batch_variant(word: str, batch: SpellingIndex, own: Counter) -> tuple[str, int] | None:
    """Another spelling of ``word`` used in at least ``MIN_VARIANT_DOCS`` other articles of the
    batch (``batch``: the index of in how many articles each capitalised word occurs; ``own``:
    this article's counts), when no other article uses ``word`` itself."""
    if batch.counts.get(word, 0) - (1 if word in own else 0) > 0:
        return None
    return batch.variant(gz.fold(word), MIN_VARIANT_DOCS, word, minus=own)
