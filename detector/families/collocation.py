"""Swapped collocations (``FLU004``): a word pair whose words are ordinary but whose pairing is
rare, where a thesaurus synonym of one word gives a common, established phrase — "profound
learning" (deep learning), "substantial rain" (heavy rain), "surface region" (surface area).
This is the mechanism behind article spinners and tortured phrases, so it needs no list of
known spun phrases: it works on phrases no lexicon contains.

Model of English word use (all installable on a fresh machine; none is one outlet's archive):

- **Thesaurus**: the English MyThes thesaurus (Debian ``mythes-en-us``,
  ``th_en_US_v2``, derived from Princeton WordNet 3.0): single-word synonyms and "similar
  terms" of every sense, made symmetric (a spinner replaces *deep* by *profound*; reading
  *profound* we need the words that list it). Antonyms, generic and related terms are not used.
- **Established phrases** (the suggestion must be one of these):
  ``symspellpy``'s bigram counts (``frequency_bigramdictionary_en_243_342.txt``, the ~242k most
  frequent English word pairs of the Google Books n-grams, MIT) and the thesaurus's own
  two-word entries ("surface area", "heart attack", "artificial intelligence"; WordNet's
  lexicalised compounds).
- **Context**: the general-English trigram model that ``pocketsphinx`` ships (already used by
  :mod:`.fluency_lm`): the observed pair must be one the model has no bigram for
  (``log P(b|a) - log P(b) < obs_assoc_max`` (settings)) and the suggested pair one it strongly prefers.

Shipped as ``resources/collocations.npz`` (built by :func:`build_collocations`): the
thesaurus's vocabulary (words only, no glosses) with a CSR synonym table, and 64-bit hashes of
the established pairs. Run time needs only numpy and pocketsphinx.
"""

from __future__ import annotations

import os
import re
from array import array
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .. import settings
from ..memo import bounded_cache
from ..text import Document, as_document

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
COLLOCATION_FILE = RESOURCES / "collocations.npz"
THESAURUS = Path("/usr/share/mythes/th_en_US_v2.dat")

# Thresholds (natural logs; tuned on half A of the tortured-phrase list and the BBC train split
# only, see scripts/measure_unseen_phrases.py).


@settings.register("fluency")
@dataclass(frozen=True, slots=True)
class FluencySettings:
    """Knobs of the fluency family (``[settings.fluency]`` in the configuration): FLU003 and the
    odd-transition share (:mod:`.fluency`) and FLU004 (this module). Natural
    logs; calibrated on the BBC train split, FLU004 checked on clean modern news
    (docs/measurements.md)."""

    odd_assoc: float = settings.knob(-2.0, "flu_lm_odd_share: a transition with log P(w|h) - log P(w) below this is unusual")
    flag_assoc: float = settings.knob(-3.0, "FLU003: association below this while log P(w|h) < flag_cond (about 1 flag per 1,000 words of clean BBC copy)")
    flag_cond: float = settings.knob(-15.0, "FLU003: ... and the word this unlikely after its two predecessors")
    flag_assoc_any: float = settings.knob(-4.5, "FLU003: association below this flags whatever the conditional probability")
    obs_assoc_max: float = settings.knob(0.0, "FLU004: the pair read has (next to) no bigram in the LM: association below this")
    obs_cond_max: float = settings.knob(-12.0, "FLU004: ... and the second word is this unlikely after the first")
    alt_assoc_min: float = settings.knob(5.0, "FLU004: the suggested pair is far likelier than chance under the LM")
    gain_min: float = settings.knob(7.0, "FLU004: log P(b|a') - log P(b|a): the suggestion is this much likelier in context")
    freq_margin: float = settings.knob(1.5, "FLU004: the replaced word is this many e-folds commoner than the one read (spinners pick rarer words); 1.0 -> 1.5 halved false FLU004 on clean modern news")
MIN_LEN = 3

# Function words and very general words: swaps among these are grammar, not spinning.
STOP = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only or
    other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up very
    was we were what when where which while who whom why will with would you your yours
    yourself yourselves one two three four five six seven eight nine ten said says say told
    get got make made take took put go went come came see seen way well even still many much
    like just may might must shall""".split()
)
_POS_RE = re.compile(r"\s*\((similar term|related term|generic term|antonym|noun|verb|adj|adv)\)$")


# --------------------------------------------------------------------------------------------
# build
# --------------------------------------------------------------------------------------------
def _hash64(s: str) -> int:
    from .lexicon import hash64

    return hash64(s)


def read_thesaurus(
    path: str | os.PathLike = THESAURUS, kinds=("similar term", "related term", "generic term")
):
    """``(synonyms, compounds)``: word -> set of single-word synonyms (symmetric), and the set of
    two-word lower-case entries."""
    syn: dict[str, set[str]] = {}
    compounds: set[str] = set()

    def ok(w: str) -> bool:
        return w.isalpha() and w.isascii() and w.islower() and len(w) >= MIN_LEN

    def add_compound(p: str) -> None:
        parts = p.split()
        if len(parts) == 2 and all(x.isalpha() and x.isascii() and x.islower() for x in parts):
            compounds.add(p)

    for word, senses in mythes_entries(path):
        add_compound(word)
        for parts in senses:
            for p in parts:
                kind = re.search(r"\((\w+ ?\w*)\)$", p)
                if kind and kind.group(1) not in kinds:
                    continue
                p = _POS_RE.sub("", p)
                add_compound(p)
                if ok(word) and ok(p) and p != word:
                    syn.setdefault(word, set()).add(p)
                    syn.setdefault(p, set()).add(word)
    return syn, compounds


def mythes_entries(path: str | os.PathLike = THESAURUS):
    """``(headword, senses)`` for each entry of a MyThes ``.dat`` file, a sense being the list of
    its ``|``-separated items after the part of speech (glosses such as "(similar term)" kept)."""
    with open(path, encoding="utf-8", errors="replace") as fh:
        fh.readline()  # encoding line
        while True:
            head = fh.readline()
            if not head:
                break
            word, _, n = head.rstrip("\n").rpartition("|")
            yield word, [fh.readline().rstrip("\n").split("|")[1:] for _ in range(int(n))]


def symspell_bigrams():
    """(pair, count) from symspellpy's bundled bigram dictionary (build time only)."""
    import symspellpy

    path = Path(symspellpy.__file__).parent / "frequency_bigramdictionary_en_243_342.txt"
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            a, b, c = line.split()
            yield f"{a} {b}", int(c)


def build_collocations(out: str | os.PathLike = COLLOCATION_FILE, sources=("symspell", "thesaurus")) -> dict:
    """Compile the thesaurus and the established pairs into ``out``. Needs the Debian
    ``mythes-en-us`` package and ``pip install symspellpy`` at build time only."""
    import io
    import zipfile

    import numpy as np

    syn, compounds = read_thesaurus()
    established: set[str] = set()
    if "symspell" in sources:
        established.update(p for p, _ in symspell_bigrams())
    if "thesaurus" in sources:
        established.update(compounds)
    vocab = sorted(syn)
    index = {w: i for i, w in enumerate(vocab)}
    ptr, ids = [0], []
    for w in vocab:
        ids.extend(sorted(index[s] for s in syn[w]))
        ptr.append(len(ids))
    est = np.unique(np.array([_hash64(p) for p in established], dtype=np.uint64))
    tmp = Path(str(out) + ".tmp.npz")
    arrays = {
        # the vocabulary as UTF-8 bytes, not a UCS-4 numpy string: a quarter of the size to read
        "vocab": np.frombuffer("\n".join(vocab).encode("utf-8"), dtype=np.uint8),
        "ptr": np.array(ptr, dtype=np.int32),
        "ids": np.array(ids, dtype=np.int32),
        "established": est,
    }
    # an .npz as np.savez_compressed writes it, except that the vocabulary and the pair hashes
    # (hashes hardly compress: 4 %) are stored: inflating them was most of the load time
    with zipfile.ZipFile(tmp, "w") as zf:
        for k, a in arrays.items():
            buf = io.BytesIO()
            np.lib.format.write_array(buf, a, allow_pickle=False)
            method = zipfile.ZIP_STORED if k in ("vocab", "established") else zipfile.ZIP_DEFLATED
            zf.writestr(zipfile.ZipInfo(k + ".npy", (1980, 1, 1, 0, 0, 0)), buf.getvalue(), method)
    os.replace(tmp, out)
    return {"words": len(vocab), "synonym_links": len(ids), "established_pairs": int(est.size)}


# --------------------------------------------------------------------------------------------
# run time
# --------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _resources():
    import numpy as np

    if not COLLOCATION_FILE.exists():
        return None
    with np.load(COLLOCATION_FILE) as z:
        v = z["vocab"]  # UTF-8 bytes (an older file: one numpy string)
        vocab = (v.tobytes().decode("utf-8") if v.dtype == np.uint8 else str(v)).split("\n")
        # kept as arrays (sliced per word, searched per pair): building Python sets/lists of
        # them cost ~60 ms of every cold start
        ptr = z["ptr"]
        ids = z["ids"]
        # the sorted pair hashes as a C array of uint64, searched with bisect (a numpy call per
        # pair cost more than the search)
        est = array("Q", np.ascontiguousarray(z["established"], dtype=np.uint64).tobytes())
    index = dict(zip(vocab, range(len(vocab)), strict=True))
    return vocab, index, ptr, ids, est


def available() -> bool:
    return _resources() is not None


def _lemma_synonyms(word: str) -> tuple[str, ...]:
    r = _resources()
    if r is None:
        return ()
    vocab, index, ptr, ids, _ = r
    i = index.get(word)
    if i is None:
        return ()
    return tuple(vocab[j] for j in ids[ptr[i] : ptr[i + 1]].tolist())


def _plural(w: str) -> str:
    if w.endswith("y") and len(w) > 2 and w[-2] not in "aeiou":
        return w[:-1] + "ies"
    if w.endswith(("s", "x", "z", "ch", "sh")):
        return w + "es"
    return w + "s"


def _link_count(word: str) -> int:
    r = _resources()
    if r is None:
        return 0
    i = r[1].get(word)
    return 0 if i is None else int(r[2][i + 1] - r[2][i])


def _listed(word: str) -> str | None:
    """The thesaurus entry whose links ``word`` takes: itself when it has links; for a plural noun
    not listed itself, its singular ("impacts" -> impact); else None."""
    if _link_count(word):
        return word
    if len(word) < 4 or not word.endswith("s"):
        return None
    for stem in (word[:-3] + "y", word[:-2], word[:-1]) if word.endswith("ies") else (word[:-2], word[:-1]):
        if _plural(stem) == word and _link_count(stem):
            return stem
    return None


@lru_cache(maxsize=1 << 16)
def synonyms(word: str) -> tuple[str, ...]:
    """Thesaurus synonyms of ``word``; a plural noun not listed itself gets its singular's
    synonyms, pluralised (the thesaurus lists lemmas: "impacts" -> "effects")."""
    entry = _listed(word)
    if entry is None:
        return ()
    if entry == word:
        return _lemma_synonyms(word)
    return tuple(_plural(s) for s in _lemma_synonyms(entry))


@bounded_cache(1 << 17)
def synonym_count(word: str) -> int:
    """``len(synonyms(word))`` without building the tuple (the spinning ratio weighs a swap by it
    for every thesaurus link of every word it reads)."""
    entry = _listed(word)
    return 0 if entry is None else _link_count(entry)


def established(a: str, b: str) -> bool:
    r = _resources()
    if r is None:
        return False
    est = r[4]
    h = _hash64(f"{a} {b}")
    i = bisect_left(est, h)
    return i < len(est) and est[i] == h


def _attested(a: str, b: str) -> bool:
    """Whether the pair occurs in the fluency family's reference n-grams (edited news): such a
    pair is never flagged. Used only as an exemption, so it cannot make a pair suspect."""
    from .lexicon import _member, _reference, hash32

    ref = _reference()
    return ref is not None and bool(_member(ref[1], [hash32(f"{a} {b}")])[0])


def _pair_scores(a: str, b: str) -> tuple[float, float] | None:
    """(log P(b|a), log P(b|a) - log P(b)) under the general-English LM, None if OOV. Not
    memoised: its look-ups are (fluency_lm), and a pair recurs seldom (129 of 60,080 calls over
    the 2,225 BBC articles), so a memo only held 60k tuple keys and values for the collector."""
    from . import fluency_lm as L

    if L._lm() is None:
        return None
    u = L._unigram(b)
    if u is None or L._unigram(a) is None:
        return None
    c = L._bigram(b, a)
    return c, c - u


def candidates(a: str, b: str, double: bool = False):
    """Observed LM scores and the synonym-swapped pairs of ``a b`` with their LM scores:
    ``(obs, [(x, y, cond, assoc, established, n_swapped)])``; obs None if out of vocabulary."""
    obs = _pair_scores(a, b)
    if obs is None:
        return None, []
    sa, sb = synonyms(a), synonyms(b)
    pairs = [(s, b, 1) for s in sa] + [(a, s, 1) for s in sb]
    if double:
        pairs += [(x, y, 2) for x in sa for y in sb]
    out = []
    for x, y, n in pairs:
        if x in STOP or y in STOP:
            continue
        alt = _pair_scores(x, y)
        if alt is None:
            continue
        out.append((x, y, alt[0], alt[1], established(x, y), n))
    return obs, out


def swap_suggestion(a: str, b: str) -> str | None:
    """The established phrase this pair reads like a synonym swap of, or None."""
    return _swap_suggestion(a, b, settings.get(FluencySettings))


@lru_cache(maxsize=1 << 18)
def _swap_suggestion(a: str, b: str, cfg: FluencySettings) -> str | None:
    if a in STOP or b in STOP or len(a) < MIN_LEN or len(b) < MIN_LEN:
        return None
    obs = _pair_scores(a, b)  # (LM scores first: the cheapest test that mostly fails)
    if obs is None or obs[1] >= cfg.obs_assoc_max or obs[0] > cfg.obs_cond_max:
        return None
    if established(a, b) or _attested(a, b):
        return None
    from . import fluency_lm as L

    best, best_gain = None, cfg.gain_min
    # cheapest tests first: the swapped word must be commoner, the pair established; only then
    # the language model (the same rule as scoring every candidate, a fraction of the cost)
    for old, x, y in [(a, s, b) for s in synonyms(a)] + [(b, a, s) for s in synonyms(b)]:
        new = x if x != a else y
        if new in STOP:
            continue
        un, uo = L._unigram(new), L._unigram(old)
        if un is None or uo is None or un - uo < cfg.freq_margin or not established(x, y):
            continue
        alt = _pair_scores(x, y)
        if alt is None or alt[1] < cfg.alt_assoc_min:
            continue
        gain = alt[0] - obs[0]
        if gain >= best_gain:
            best, best_gain = f"{x} {y}", gain
    return best


def swapped_pairs(text: str | Document) -> list[tuple[int, int, str]]:
    """``(start, end, suggestion)`` for each adjacent lower-case word pair (same sentence, only
    spaces between) that reads like a synonym swap of an established phrase."""
    doc = as_document(text)
    cached = doc.__dict__.get("_flu_swaps")
    if cached is not None:
        return cached
    out: list[tuple[int, int, str]] = []
    if _resources() is None:
        doc.__dict__["_flu_swaps"] = out
        return out
    t = doc.text
    cfg = settings.get(FluencySettings)
    for spans in doc.sentence_words:
        prev = None  # (word, start, end) of the previous word, if it can be half of a swap
        for ws, we in spans:
            w = t[ws:we]
            # _swap_suggestion's own first test, and lower-case ASCII letters: a word failing
            # them is in no suggesting pair, on either side
            if len(w) < MIN_LEN or w in STOP or not (w.isalpha() and w.islower() and w.isascii()):
                prev = None
                continue
            if prev is not None:
                gap = t[prev[2] : ws]
                if gap.isspace() and "\n" not in gap:
                    sug = _swap_suggestion(prev[0], w, cfg)
                    if sug and not (out and out[-1][1] > prev[1]):
                        out.append((prev[1], we, sug))
            prev = (w, ws, we)
    doc.__dict__["_flu_swaps"] = out
    return out
