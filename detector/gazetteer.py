"""Person-name gazetteer for the ``name`` family: loading, building and caching.

Sources, merged at run time (nothing derived from third-party lists is stored in the repo):

- the curated list ``data/officials.txt`` (written for this project: current heads of state and
  government, ministers, security chiefs, with attested variants);
- the shared research data ``names/*.jsonl`` (EveryPolitician 2015 legislators, US Congress and
  executive), found at ``$DETECTOR_SHARED_DATA/names`` or ``../shared/data/names`` next to the
  checkout. Absent data is fine: the curated list and user files still work;
- user files given to :func:`set_user_gazetteer` (CLI ``--names``) or listed in
  ``$DETECTOR_NAMES`` (``os.pathsep``-separated), in the curated format
  (``Canonical Name | variant | variant``; ``#`` comments).

The shared data is large (50k people) and only used in compiled form: shared data plus curated
list are compiled (about 1.5 s) into a pickle in the user cache directory
(``platformdirs.user_cache_dir("detector")/names/gazetteer-<key>.pickle``), keyed by the source
files' paths, sizes and mtimes, so a warm load takes about 10 ms. User files are small and parsed
on every load. Without shared data there is nothing to cache: the curated list is parsed directly.

Two roles:

- *known spellings* (every source): a name spelled exactly like a known person is never
  "corrected", and spellings near two different known people are ambiguous;
- *targets* (curated list, user files, US Congress/executive, and legislators prominent enough to
  have labels in several non-Latin scripts): the people whose near-miss spellings are flagged.
"""

from __future__ import annotations

import gc
import json
import os
import pickle
import re
import tempfile
import threading
import unicodedata
from array import array
from bisect import bisect_left
from collections.abc import Sequence
from hashlib import blake2b, sha1
from pathlib import Path

FORMAT_VERSION = 6

REPO_ROOT = Path(__file__).resolve().parents[1]
CURATED_PATHS = (
    REPO_ROOT / "data" / "officials.txt",
    Path(__file__).resolve().parent / "resources" / "officials.txt",
)
SHARED_FILES = ("everypolitician_2015.jsonl", "us_congress_current_and_executive.jsonl")

# Lower-case words that may sit inside a name ("Mohammed bin Salman", "Ursula von der Leyen").
PARTICLES = frozenset(
    "al el ad ash as at az ar bin bint ibn ben von van der den de da dos das du la le di del della ter ten y e".split()
)
SUFFIXES = frozenset("jr sr ii iii iv".split())
# Prominence of target people: curated and user entries and the US executive get PROMINENT;
# members of Congress US_CONGRESS; legislators their number of labels in non-Latin scripts
# (3 to about 35: a head of government has 15+).
PROMINENT = 100
US_CONGRESS = 8
# Words stripped from the start of gazetteer entries ("Mr. KAMAGATE MAMADOU").
TITLES = frozenset(
    """mr mrs ms miss dr prof sir dame lord lady hon honourable honorable rev sheikh shaikh sayyed
    sayyid ayatollah deputada deputado senador senadora dep sen rep gen""".split()
)

# First names whose spellings are transliterations of one name (not misspellings of each other).
# Each group is mapped to its first member before any comparison.
FIRST_NAME_GROUPS = """
mohammed mohammad muhammad mohamed mohamad muhammed mohammud mohamud muhamad mehmet mehmed
mahmoud mahmud mahmood
ahmed ahmad ahmet
hussein husain hussain husayn hussien hossein hosein huseyin
hassan hasan
abdel abdul abd abdal abdol
abdullah abdallah abdulla abdollah
abdulrahman abdelrahman abdurrahman abderrahmane abdulrahmane
youssef yousef yusuf yousif yusef youssif yosef
omar umar
osama usama
mustafa moustafa mostafa mustapha
ibrahim ebrahim
ismail ismael esmail
said saeed sayed saied saeid
khaled khalid
walid waleed
jamal gamal
naim naeem
karim kareem
faisal faysal feisal
yahya yehia yahia yehya
yasser yasir yassir
riyad riad
ziyad ziad
qassem qasem kassem qasim qassim ghasem
massoud masoud masud
sergei sergey serhiy serhii sergej
dmitry dmitri dmytro dmitriy dmitrii
yuri yury yuriy yurii
aleksandr alexander oleksandr aleksander alexandr aliaksandr alyaksandr
alexei alexey aleksei oleksii oleksiy aleksey
andrei andrey andriy andrii andrej
nikolai nikolay mykola
yevgeny evgeny yevgeniy evgeni yevgeni
vladimir volodymyr wladimir volodimir
mikhail mykhailo
valery valeri valerii valeriy
vitaly vitali vitaliy vitalii
anatoly anatoli anatolii anatoliy
oleg oleh
igor ihor
denis denys
kirill kyrylo
pyotr petro
grigory grigori hryhoriy
maria mariya
yulia yuliya yuliia iuliia
tatiana tatyana
natalia natalya nataliya
olena elena yelena alena
svetlana sviatlana
binyamin benjamin
yitzhak itzhak
"""
_FIRST_CANON: dict[str, str] = {}
for _line in FIRST_NAME_GROUPS.strip().splitlines():
    _g = _line.split()
    for _w in _g:
        _FIRST_CANON.setdefault(_w, _g[0])

_SPECIAL = str.maketrans(
    {
        "ø": "o",
        "Ø": "o",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ı": "i",
        "þ": "th",
        "ð": "d",
        "’": "",
        "'": "",
        "‘": "",
        "`": "",
        "ʼ": "",
        "ʻ": "",
        ".": "",
    }
)
_SPLIT_RE = re.compile(r"[\s\-‐‑–—_/]+")
_PAREN_RE = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_LATIN_RE = re.compile(r"^[A-Za-z\u00C0-\u024F\u1E00-\u1EFF .,'’‐\-‑()]+$")


def fold(token: str) -> str:
    """Case-, accent- and apostrophe-insensitive key of one token."""
    if token.isascii():
        t = token.lower()
        if "." in t or "'" in t or "`" in t:
            t = t.replace(".", "").replace("'", "").replace("`", "")
        return t
    t = token.translate(_SPECIAL)
    if not t.isascii():
        t = "".join(c for c in unicodedata.normalize("NFKD", t) if not unicodedata.combining(c))
    return t.casefold()


def first_canon(token: str) -> str:
    return _FIRST_CANON.get(token, token)


def core_tokens(keys: list[str]) -> list[str]:
    """Folded tokens of a name -> the tokens that identify it: particles (except in first
    position), middle initials and generational suffixes dropped; runs of single letters at the
    start joined ("J. D. Vance" == "JD Vance"); the first name mapped to its transliteration group."""
    toks = [k for k in keys if k]
    if not toks:
        return []
    # join leading initials
    i = 0
    while i < len(toks) and len(toks[i]) == 1:
        i += 1
    if i >= 2:
        toks = ["".join(toks[:i])] + toks[i:]
    out = [toks[0]]
    for t in toks[1:]:
        if t in PARTICLES or len(t) == 1:
            continue
        out.append(t)
    while len(out) > 1 and out[-1] in SUFFIXES:
        out.pop()
    out[0] = first_canon(out[0])
    return out


def name_core(name: str) -> list[str]:
    return core_tokens([fold(p) for p in _SPLIT_RE.split(name.strip())])


def clean_entry(name: str) -> str | None:
    """Tidy a raw gazetteer name: drop brackets and leading titles, turn "Last, First" around.
    Returns None for names not in Latin script."""
    name = _PAREN_RE.sub(" ", name).strip()
    if not name or not _LATIN_RE.match(name):
        return None
    if name.count(",") == 1:
        last, first = (p.strip() for p in name.split(","))
        if first and last and not first.lower().startswith(("jr", "sr")):
            name = f"{first} {last}"
        else:
            name = name.replace(",", " ")
    name = name.replace(",", " ")
    parts = name.split()
    while parts and fold(parts[0]) in TITLES:
        parts = parts[1:]
    return " ".join(parts) if len(parts) >= 2 else None


def key_hash(key: str) -> int:
    """Stable 64-bit hash of a key (the shared known-spelling table stores only hashes)."""
    return int.from_bytes(blake2b(key.encode(), digest_size=8).digest(), "little")


class SortedLines(Sequence):
    """A sorted list of short strings stored as one string plus offsets (fast to unpickle);
    indexable, so :func:`bisect.bisect_left` works on it."""

    __slots__ = ("text", "off")

    def __init__(self, lines: list[str] | None = None):
        lines = lines or []
        self.text = "\n".join(lines) + "\n" if lines else ""
        self.off = array("I", [0])
        pos = 0
        for line in lines:
            pos += len(line) + 1
            self.off.append(pos)

    def __len__(self) -> int:
        return len(self.off) - 1

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        off = self.off
        return self.text[off[i] : off[i + 1] - 1]

    def __getstate__(self):
        return (self.text, self.off.tobytes())

    def __setstate__(self, state):
        self.text = state[0]
        self.off = array("I")
        self.off.frombytes(state[1])

    def prefix_range(self, prefix: str) -> tuple[int, int]:
        """Index range of the lines starting with ``prefix + " "``."""
        return bisect_left(self, prefix + " "), bisect_left(self, prefix + "!")


class Gazetteer:
    """Compiled gazetteer.

    Keys are folded core tokens (:func:`name_core`) joined by spaces: the *full* key of a
    spelling, and its *pair* key ``"first last"``. The large part (frozen before caching) is
    kept compact: known spellings as a sorted array of 64-bit key hashes, and the pairs as two
    :class:`SortedLines` ("first last" and "last first"). Later additions (user files) go into
    small sets and dicts. Targets (people whose near misses are flagged) are indexed by first
    and by last token.
    """

    def __init__(self) -> None:
        # frozen part
        self.h_known = array("Q")
        self.h_first = array("Q")
        self.s_fl = SortedLines()
        self.s_lf = SortedLines()
        # unfrozen part
        self.known: set[str] = set()
        self.fl: dict[str, set[str]] = {}
        self.lf: dict[str, set[str]] = {}
        # targets
        self.persons: list[tuple[str, tuple[str, ...], str]] = []  # (canonical, forms, source)
        self.t_by_first: dict[str, list[tuple[str, int, str]]] = {}  # first -> [(last, pid, form)]
        self.t_by_last: dict[str, list[tuple[str, int, str]]] = {}  # last -> [(first, pid, form)]
        self.pair_pids: dict[str, set[int]] = {}  # pair key -> target person ids
        # target person id -> prominence (PROMINENT for curated/user/US executive entries,
        # labels in non-Latin scripts for legislators): how widely the person is written about
        self.prominence: dict[int, int] = {}
        self.sources: list[str] = []
        self.shared = False  # built with the shared legislator lists

    # -- building ----------------------------------------------------------------------------
    def add_known(self, core: list[str]) -> None:
        if len(core) < 2:
            return
        f, last = core[0], core[-1]
        self.known.add(" ".join(core))
        self.known.add(f"{f} {last}")
        self.fl.setdefault(f, set()).add(last)
        self.lf.setdefault(last, set()).add(f)

    def add_person(
        self, forms: list[str], *, target: bool, source: str, known_only=(), prominence: int = 0
    ) -> None:
        """Add one person: display spellings (the first is canonical) and extra known spellings."""
        cores = []
        for form in forms:
            core = name_core(form)
            if len(core) >= 2:
                cores.append((form, core))
        for form in known_only:
            self.add_known(name_core(form))
        for _, core in cores:
            self.add_known(core)
        if not cores or not target:
            return
        pid = len(self.persons)
        self.persons.append((cores[0][0], tuple(f for f, _ in cores), source))
        self.prominence[pid] = prominence
        seen = set()
        for form, core in cores:
            f, last = core[0], core[-1]
            pair = f"{f} {last}"
            self.pair_pids.setdefault(pair, set()).add(pid)
            if pair in seen:
                continue
            seen.add(pair)
            self.t_by_first.setdefault(f, []).append((last, pid, form))
            self.t_by_last.setdefault(last, []).append((f, pid, form))

    def add_file(self, path, *, source: str) -> int:
        """Add a curated-format file; returns the number of people read."""
        n = 0
        with open(path, encoding="utf-8") as fh:
            for raw in fh:
                line = raw.strip()
                if not line or line.startswith("#"):
                    continue
                forms = [p.strip() for p in line.split("|") if p.strip()]
                if forms:
                    self.add_person(forms, target=True, source=source, prominence=PROMINENT)
                    if source == "user":
                        self.add_user_tokens(forms)
                    n += 1
        return n

    def add_user_tokens(self, forms: list[str]) -> None:
        """Every word of a user's names file (one-word lines too: "Rafah") counts as a known
        name for every name check, LanguageTool's unknown-word notes (NAM004) included."""
        toks = self.__dict__.setdefault("user_tokens", set())
        for form in forms:
            for p in _SPLIT_RE.split(form):
                k = fold(p)
                if k:
                    toks.add(k)

    def is_user_token(self, key: str) -> bool:
        """Is this folded word part of a name in the user's names files (``--names``)?"""
        return key in self.__dict__.get("user_tokens", ())

    def freeze(self) -> None:
        """Move the known spellings into the compact sorted tables (once, before caching)."""
        self.h_known = array("Q", sorted({key_hash(k) for k in self.known}))
        self.h_first = array("Q", sorted({key_hash(f) for f in self.fl}))
        self.s_fl = SortedLines(sorted(f"{f} {last}" for f, ls in self.fl.items() for last in ls))
        self.s_lf = SortedLines(sorted(f"{last} {f}" for last, fs in self.lf.items() for f in fs))
        self.known, self.fl, self.lf = set(), {}, {}

    def prominent(self, pid: int, level: int) -> bool:
        """Is target person ``pid`` at least this prominent (see :data:`PROMINENT`)?"""
        return self.__dict__.get("prominence", {}).get(pid, 0) >= level

    def person_pairs(self, pid: int) -> set[str]:
        """Pair keys of every spelling of target person ``pid`` (memoised)."""
        memo = self.__dict__.setdefault("_pairs_memo", {})
        pairs = memo.get(pid)
        if pairs is None:
            pairs = set()
            for form in self.persons[pid][1]:
                c = name_core(form)
                if len(c) >= 2:
                    pairs.add(f"{c[0]} {c[-1]}")
            memo[pid] = pairs
        return pairs

    def __getstate__(self):
        d = {k: v for k, v in self.__dict__.items() if not k.startswith("_")}
        d["h_known"] = self.h_known.tobytes()
        d["h_first"] = self.h_first.tobytes()
        return d

    def __setstate__(self, d):
        for k in ("h_known", "h_first"):
            a = array("Q")
            a.frombytes(d[k])
            d[k] = a
        self.__dict__.update(d)

    # -- queries -----------------------------------------------------------------------------
    @staticmethod
    def _in_hashes(arr: array, key: str) -> bool:
        if not arr:
            return False
        h = key_hash(key)
        i = bisect_left(arr, h)
        return i < len(arr) and arr[i] == h

    def is_known(self, key: str) -> bool:
        """Is this full or pair key a known spelling of someone?"""
        return key in self.known or self._in_hashes(self.h_known, key)

    def is_first_name(self, f: str) -> bool:
        return f in self.fl or f in self.t_by_first or self._in_hashes(self.h_first, f)

    def lasts_of(self, f: str) -> set[str]:
        lo, hi = self.s_fl.prefix_range(f)
        n = len(f) + 1
        out = {k[n:] for k in self.s_fl[lo:hi]}
        out.update(self.fl.get(f, ()))
        return out

    def firsts_of(self, last: str) -> set[str]:
        lo, hi = self.s_lf.prefix_range(last)
        n = len(last) + 1
        out = {k[n:] for k in self.s_lf[lo:hi]}
        out.update(self.lf.get(last, ()))
        return out

    def first_count(self, f: str) -> int:
        """How many known people (distinct surnames) have this first name."""
        lo, hi = self.s_fl.prefix_range(f)
        return hi - lo + len(self.fl.get(f, ()))

    def last_count(self, last: str) -> int:
        """How many known people (distinct first names) have this surname."""
        lo, hi = self.s_lf.prefix_range(last)
        return hi - lo + len(self.lf.get(last, ()))


# -- shared data ---------------------------------------------------------------------------


def shared_names_dir() -> Path | None:
    env = os.environ.get("DETECTOR_SHARED_DATA")
    cands = []
    if env:
        cands.append(Path(env) / "names")
    cands.append(REPO_ROOT.parent / "shared" / "data" / "names")
    cands.append(Path.cwd().parent / "shared" / "data" / "names")
    for c in cands:
        if any((c / f).is_file() for f in SHARED_FILES):
            return c
    return None


def _prominent(rec: dict) -> bool:
    return rec.get("n_nonlatin_variants", 0) >= 3 and bool(rec.get("wikidata"))


def _ep_forms(rec: dict) -> tuple[list[str], list[str]]:
    """(clean display forms, extra known-only forms) of one EveryPolitician record."""
    forms: list[str] = []
    extra: list[str] = []
    given, family = rec.get("given_name"), rec.get("family_name")
    name = clean_entry(rec.get("name", ""))
    if given and family:
        g = clean_entry(f"{given.split()[0]} {family}")
        if g:
            forms.append(g)
    if name:
        forms.append(name)
        parts = name.split()
        # many lists put the surname first ("NDIKUMANA Juvénal"): know the other order too
        extra.append(" ".join(parts[1:] + parts[:1]))
        extra.append(" ".join(parts[-1:] + parts[:-1]))
    for v in rec.get("english_variants", ()):
        c = clean_entry(v)
        if c:
            forms.append(c)
    for v in rec.get("latin_variants", ()):
        c = clean_entry(v)
        if c:
            extra.append(c)
    return forms, extra


def _us_forms(rec: dict) -> list[str]:
    forms = []
    first, last = rec.get("first"), rec.get("last")
    nick = rec.get("nickname")
    if nick and last:
        forms.append(f"{nick} {last}")
    if first and last:
        forms.append(f"{first} {last}")
    if rec.get("name"):
        forms.append(rec["name"])
    forms.extend(rec.get("variants", ()))
    return [c for c in (clean_entry(f) for f in forms) if c]


def curated_path() -> Path | None:
    for p in CURATED_PATHS:
        if p.is_file():
            return p
    return None


def build(names_dir: Path | None, curated: Path | None) -> Gazetteer:
    """Build the base gazetteer from the shared data (if any) and the curated list."""
    g = Gazetteer()
    if curated is not None:
        g.add_file(curated, source="curated")
        g.sources.append(str(curated))
    if names_dir is not None:
        g.shared = True
        ep = names_dir / SHARED_FILES[0]
        if ep.is_file():
            with open(ep, encoding="utf-8") as fh:
                for line in fh:
                    rec = json.loads(line)
                    forms, extra = _ep_forms(rec)
                    if forms or extra:
                        g.add_person(
                            forms or extra[:1],
                            target=_prominent(rec) and bool(forms),
                            source="everypolitician",
                            known_only=extra,
                            prominence=rec.get("n_nonlatin_variants", 0) or 0,
                        )
            g.sources.append(str(ep))
        us = names_dir / SHARED_FILES[1]
        if us.is_file():
            with open(us, encoding="utf-8") as fh:
                for line in fh:
                    rec = json.loads(line)
                    forms = _us_forms(rec)
                    if forms:
                        prom = (
                            PROMINENT if str(rec.get("source", "")).startswith("executive") else US_CONGRESS
                        )
                        g.add_person(forms, target=True, source="us-congress", prominence=prom)
            g.sources.append(str(us))
    g.freeze()
    return g


def cache_dir() -> Path:
    from .cache import cache_dir as detector_cache_dir

    return detector_cache_dir("names")


def _cache_key(paths: list[Path]) -> str:
    h = sha1(f"v{FORMAT_VERSION}".encode())
    for p in paths:
        try:
            st = p.stat()
        except OSError:
            continue
        h.update(f"{p.resolve()}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:16]


def load_base(names_dir: Path | None, curated: Path | None, *, use_cache: bool = True) -> Gazetteer:
    """The compiled base gazetteer (shared data + curated list). With shared data it is built
    once (about a second) and then read from the user cache directory."""
    if names_dir is None:
        return build(None, curated)
    sources = [names_dir / f for f in SHARED_FILES] + ([curated] if curated else [])
    path = cache_dir() / f"gazetteer-{_cache_key(sources)}.pickle"
    if use_cache:
        try:
            with open(path, "rb") as fh:
                data = fh.read()
            gc_was = gc.isenabled()
            gc.disable()
            try:
                g = pickle.loads(data)
            finally:
                if gc_was:
                    gc.enable()
            if isinstance(g, Gazetteer):
                return g
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError):
            pass
    g = build(names_dir, curated)
    if use_cache:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".gazetteer-", suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(g, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
            for old in path.parent.glob("gazetteer-*.pickle"):
                if old != path:
                    old.unlink(missing_ok=True)
        except OSError:
            pass
    return g


# -- the process-wide gazetteer ---------------------------------------------------------------

_lock = threading.Lock()
_gazetteer: Gazetteer | None = None
_user_paths: list[str] = []


def _env_paths() -> list[str]:
    env = os.environ.get("DETECTOR_NAMES", "")
    return [p for p in env.split(os.pathsep) if p.strip()]


def check_user_file(path: str) -> None:
    p = Path(path)
    if not p.is_file():
        raise OSError(f"{path}: no such file")
    try:
        with open(p, encoding="utf-8") as fh:
            fh.read()
    except UnicodeDecodeError as e:
        raise ValueError(f"{path}: not UTF-8 text ({e})") from None


def set_user_gazetteer(paths: list[str]) -> None:
    """Use these extra gazetteer files (in addition to $DETECTOR_NAMES), format
    ``Canonical Name | variant | variant``. Raises OSError / ValueError for a missing or
    unreadable file. Replaces files given by an earlier call."""
    global _gazetteer
    paths = [str(p) for p in paths]
    for p in paths:
        check_user_file(p)
    with _lock:
        _user_paths[:] = paths
        _gazetteer = None


def reset() -> None:
    """Forget the loaded gazetteer (rebuilt on next use, re-reading $DETECTOR_NAMES)."""
    global _gazetteer
    with _lock:
        _gazetteer = None


def get() -> Gazetteer:
    """The process-wide gazetteer (loaded on first use)."""
    g = _gazetteer
    if g is not None:
        return g
    return _load()


def current() -> Gazetteer | None:
    """The loaded gazetteer, or None when not (yet) loaded."""
    return _gazetteer


def _load() -> Gazetteer:
    global _gazetteer
    with _lock:
        if _gazetteer is None:
            g = load_base(shared_names_dir(), curated_path())
            for p in _env_paths() + _user_paths:
                try:
                    g.add_file(p, source="user")
                    g.sources.append(p)
                except (OSError, UnicodeDecodeError):
                    continue
            _gazetteer = g
        return _gazetteer
