"""The compiled gazetteer (:class:`Gazetteer`) and its compact sorted-string table."""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Sequence

from .forms import _SPLIT_RE, PROMINENT, fold, key_hash, name_core

# Every this many lines of a SortedLines is kept in a plain list (built on first search), which
# C's bisect searches; the bisection then ends in that many lines of the table, split out of it
# at once (instead of 17 line reads at Python level in the 100,000 lines of the shared gazetteer).
_SAMPLE_STEP = 16


class SortedLines(Sequence):
    """A sorted list of short strings stored as one string plus offsets (fast to unpickle);
    indexable, so :func:`bisect.bisect_left` works on it."""

    __slots__ = ("text", "off", "_sample")

    def __init__(self, lines: list[str] | None = None):
        lines = lines or []
        self.text = "\n".join(lines) + "\n" if lines else ""
        self.off = array("I", [0])
        self._sample: list[str] | None = None
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
        self._sample = None

    def bisect_left(self, x: str) -> int:
        """``bisect.bisect_left(self, x)``: the sampled lines (every ``_SAMPLE_STEP``-th) narrow
        the range to ``_SAMPLE_STEP`` lines first; the table is sorted, so the index is the same."""
        sample = self._sample
        if sample is None:
            sample = self._sample = [self[j] for j in range(0, len(self), _SAMPLE_STEP)]
        b = bisect_left(sample, x)  # sample[b - 1] < x <= sample[b]: the index is in [lo, hi]
        lo, hi = max(0, (b - 1) * _SAMPLE_STEP + 1), min(len(self), b * _SAMPLE_STEP)
        if lo >= hi:
            return lo
        return lo + bisect_left(self.text[self.off[lo] : self.off[hi] - 1].split("\n"), x)

    def prefix_range(self, prefix: str) -> tuple[int, int]:
        """Index range of the lines starting with ``prefix + " "``."""
        return self.bisect_left(prefix + " "), self.bisect_left(prefix + "!")


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




# The compiled base gazetteer is pickled into the user cache, which every checkout and version of
# detector shares: pickle it under the public path ``detector.gazetteer.<Class>`` (importable from
# the package, as before the package was split), so the cache file stays readable by any version.
SortedLines.__module__ = Gazetteer.__module__ = "detector.gazetteer"
