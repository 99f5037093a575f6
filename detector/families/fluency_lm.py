"""Statistical models behind the fluency family: a general-English n-gram language model and a
sentence-level machine-translation classifier. Pure functions of a string/:class:`Document`;
:mod:`detector.families.fluency` turns their outputs into findings and statistics.

Language model (``lm_*``)
-------------------------
The generic US-English trigram model shipped with the ``pocketsphinx`` wheel
(``pocketsphinx/model/en-us/en-us.lm.bin``, Alpha Cephei/CMU, BSD-style licence): the only
general-English n-gram model installable from PyPI. It is read through pocketsphinx's own
``NGramModel`` (C, about 30 ms to open, sub-microsecond look-ups), or, when the compiled loops
are built, through the same C functions by :mod:`.kernels`. Words are lower-cased;
numbers, punctuation other than commas and out-of-vocabulary words reset the history. For each
in-vocabulary word with a history we take ``log P(w | h)`` and the association
``log P(w | h) - log P(w)`` (how much more or less likely the word is in this context than on
its own). A synonym spinner's substitutions ("raising *fire* prices", "in *tardy* December")
are words that are ordinary on their own and very unlikely where they stand.

MT sentence model (``mt_*``)
----------------------------
A linear classifier over hashed features of one sentence: lower-cased word unigrams and
bigrams, cased forms of non-lower-case tokens, and character 3-5-grams within words (CRC32
into ``2**20`` buckets, L2-normalised counts). It was trained by
``scripts/build_fluency_model.py`` on WMT into-English segments — human reference translations
(0) against MT system output (1) of the *same* source documents, so topic is balanced and the
model learns translation style, not subject matter. Only the ``ref`` half of the training
corpora's source documents is used (the classifier's WMT rows come from the other half, see
``data/README.md``); the held-out corpora (WMT22 ja-en, WMT21 is-en) are never used. The weights
(float16, ~2 MB) are derived from research-use WMT data: see the README's limits.
"""

from __future__ import annotations

import math
import re
import zlib
from array import array
from functools import lru_cache
from itertools import chain, repeat
from operator import itemgetter
from pathlib import Path

from ..memo import bounded_cache
from ..text import Document, as_document
from . import kernels

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
MT_MODEL_FILE = RESOURCES / "mt_sentences.npz"

# --------------------------------------------------------------------------------------------
# n-gram language model (pocketsphinx)
# --------------------------------------------------------------------------------------------
_LN_BASE = math.log(1.0001)  # pocketsphinx log-math base
_LOG_ZERO = -536870912
_LM_TOKEN_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|\d\S*|[^\w\s]")
_FIRST = itemgetter(0)  # a match's text


@lru_cache(maxsize=1)
def _lm():
    """The pocketsphinx model (``NGramModel``, or the compiled loops' :class:`.kernels.KernelModel`
    over the same file: the same ``prob``), or None when pocketsphinx is not installed."""
    try:
        import os

        import pocketsphinx
    except ImportError:  # pragma: no cover - a pinned dependency
        return None
    path = os.path.join(pocketsphinx.get_model_path(), "en-us", "en-us.lm.bin")
    if not os.path.exists(path):  # pragma: no cover
        return None
    if kernels.COMPILED:
        return kernels.open_lm(path)  # opened by the compiled loops, which look words up by id
    return pocketsphinx.NGramModel.readfile(path)


def lm_available() -> bool:
    return _lm() is not None


# a thesaurus's synonyms are looked up too (FLU004, the spinning ratio): ~250k distinct words
@bounded_cache(1 << 19)
def _unigram(word: str) -> float | None:
    v = _lm().prob([word])
    return None if v <= _LOG_ZERO else v * _LN_BASE


def unigram_logprob(word: str) -> float | None:
    """Natural-log unigram probability of a lower-case word, None when out of vocabulary or
    when the model is unavailable."""
    if _lm() is None:
        return None
    return _unigram(word)


def _conditional(word: str, h1: str, h2: str | None) -> float:
    """``log P(word | h2 h1)`` (``h2`` None: ``log P(word | h1)``)."""
    return _trigram(word, h1, h2) if h2 is not None else _bigram(word, h1)


# two memos: the bigram look-ups recur across articles (the spinning ratio and FLU004 ask for
# the same common pairs), the trigram ones seldom do and would evict them from a shared memo.
# Keyed by one string, the words joined by SEP (a tuple key would make each memo a table the
# garbage collector walks, see detector.memo): hot loops build the key themselves.
SEP = "\x1f"  # in no token: every tokeniser here splits at whitespace, which includes it


@bounded_cache(1 << 18)
def _bigram_key(key: str) -> float:
    """:func:`_bigram` of ``f"{word}{SEP}{h1}"``."""
    return _lm().prob(key.split(SEP)) * _LN_BASE


@bounded_cache(1 << 18)
def _trigram_key(key: str) -> float:
    """:func:`_trigram` of ``f"{word}{SEP}{h1}{SEP}{h2}"``."""
    return _lm().prob(key.split(SEP)) * _LN_BASE


def _bigram(word: str, h1: str) -> float:
    """``log P(word | h1)``, natural log (memoised)."""
    return _bigram_key(f"{word}{SEP}{h1}")


def _trigram(word: str, h1: str, h2: str) -> float:
    """``log P(word | h2 h1)``, natural log (memoised)."""
    return _trigram_key(f"{word}{SEP}{h1}{SEP}{h2}")


@lru_cache(maxsize=1 << 17)
def _lm_token(tok: str) -> tuple[str, float | None] | None:
    """What :func:`lm_transitions` makes of one token, looked up once per distinct token: ``(word,
    log P(word))`` for an in-vocabulary word; ``(",", None)`` for a comma (skipped, the history
    kept); None for what resets the history (numbers, other punctuation, unknown words)."""
    if tok == ",":
        return ",", None
    w = tok.lower().replace("’", "'")
    if not w[0].isalpha():
        return None
    u = _unigram(w)
    return None if u is None else (w, u)


def lm_transitions(text: str | Document) -> list[tuple[int, int, float, float]]:
    """``(start, end, log P(w|h), log P(w|h) - log P(w))`` for every in-vocabulary word that has
    an in-vocabulary predecessor in the same sentence; ``start`` is the predecessor's start (the
    span covers the word pair). Natural logs. Empty when the model is unavailable. Computed by
    the compiled loop when it is built (:mod:`.kernels`), else by :func:`_lm_transitions_python`:
    the same list either way."""
    doc = as_document(text)
    cached = doc.__dict__.get("_flu_lm")
    if cached is not None:
        return cached
    if _lm() is None:
        out: list[tuple[int, int, float, float]] = []
    elif kernels.COMPILED:
        out = kernels.lm_transitions(doc.text, doc.sentences, _LM_TOKEN_RE.finditer, _lm_token, _LN_BASE)
    else:
        out = _lm_transitions_python(doc)
    doc.__dict__["_flu_lm"] = out
    return out


def _lm_transitions_python(doc: Document) -> list[tuple[int, int, float, float]]:
    """The reference loop of :func:`lm_transitions`."""
    out: list[tuple[int, int, float, float]] = []
    t = doc.text
    lm_token, bigram_key, finditer = _lm_token, _bigram_key, _LM_TOKEN_RE.finditer
    # trigrams seldom recur (a fifth of look-ups hit a memo): asked directly, as _trigram does
    prob, ln_base = _lm().prob, _LN_BASE
    for s, e in doc.sentences:
        # the history: the last two in-vocabulary words (h1 the most recent, starting at h1_start)
        h1: str | None = None
        h2: str | None = None
        h1_start = 0
        ms = list(finditer(t, s, e))
        for m, tw in zip(ms, map(lm_token, map(_FIRST, ms)), strict=True):
            if tw is None:
                h1 = h2 = None
                continue
            w, u = tw
            if u is None:  # a comma: skipped, the history kept
                continue
            start, end = m.span()
            if h1 is not None:
                c = bigram_key(f"{w}{SEP}{h1}") if h2 is None else prob([w, h1, h2]) * ln_base
                out.append((h1_start, end, c, c - u))
            h2, h1, h1_start = h1, w, start
    return out


# --------------------------------------------------------------------------------------------
# MT sentence classifier
# --------------------------------------------------------------------------------------------
MT_BUCKETS = 1 << 20
_MT_TOKEN_RE = re.compile(r"\w+|[^\w\s]")


def _h(s: str) -> int:
    return zlib.crc32(s.encode("utf-8")) & (MT_BUCKETS - 1)


def _token_features(tok: str) -> list[str]:
    """One token's feature strings, in bucket order: the lower-cased word, its cased form when it
    has capitals, then its character 3-, 4- and 5-grams with a space on each side."""
    low = tok.lower()
    feats = ["w1:" + low] if tok.islower() else ["w1:" + low, "c1:" + tok]
    w = " " + low + " "
    n_chars = len(w)
    feats += [w[i : i + n] for n in (3, 4, 5) for i in range(n_chars - n + 1)]
    return feats


@lru_cache(maxsize=1 << 18)
def _token_buckets(tok: str) -> tuple[int, ...]:
    return tuple(map(_h, _token_features(tok)))


@lru_cache(maxsize=1 << 18)
def _bigram_bucket(a: str, b: str) -> int:
    return _h("w2:" + a + " " + b)


# The scoring path's memos hold the same buckets as native int32 bytes: a sentence's keys are
# then one bytes join and the document's one np.frombuffer (no list of Python ints to convert).
@bounded_cache(1 << 18)
def _token_bytes(tok: str) -> bytes:
    """:func:`_token_buckets` of ``tok`` (the same buckets, in its order), computed without a call
    per feature: a token is new to the memo about once an article in thirty."""
    crc, mask = zlib.crc32, MT_BUCKETS - 1
    return array("i", [crc(f.encode("utf-8")) & mask for f in _token_features(tok)]).tobytes()


def mt_features(sentence: str) -> dict[int, float]:
    """Hashed, L2-normalised feature counts of one sentence (bucket -> value)."""
    counts: dict[int, int] = {}
    for k in _sentence_buckets(sentence):
        counts[k] = counts.get(k, 0) + 1
    norm = math.sqrt(sum(v * v for v in counts.values())) or 1.0
    return {k: v / norm for k, v in counts.items()}


@lru_cache(maxsize=1)
def _mt_model():
    """(weights float32 array, bias, metadata) or None when the artifact is absent."""
    import json

    import numpy as np

    if not MT_MODEL_FILE.exists():
        return None
    with np.load(MT_MODEL_FILE) as z:
        w = z["weights"].astype(np.float32)
        bias = float(z["bias"])
        meta = json.loads(str(z["meta"]))
    return w, bias, meta


def mt_available() -> bool:
    return _mt_model() is not None


def mt_flag_threshold() -> float:
    """Sentence probability at or above which a FLU002 finding is emitted (from the artifact)."""
    model = _mt_model()
    return float(model[2].get("flag_probability", 0.97)) if model else 1.0


MT_MIN_WORDS = 4


def _sentence_buckets(sentence: str) -> list[int]:
    """All feature buckets of one sentence, with repetitions (the counts of :func:`mt_features`)."""
    toks = _MT_TOKEN_RE.findall(sentence)
    out: list[int] = list(chain.from_iterable(map(_token_buckets, toks)))
    low = ["<s>", *map(str.lower, toks), "</s>"]
    out.extend(map(_bigram_bucket, low, low[1:]))  # the adjacent pairs (map stops at the shorter)
    return out


def mt_sentence_logits(text: str | Document) -> list[tuple[int, int, float]]:
    """``(start, end, logit)`` for every sentence of at least ``MT_MIN_WORDS`` words; a positive
    logit means the sentence looks more like MT output than like a human translation.

    Same arithmetic as ``weights[mt_features(s)] + bias`` per sentence, vectorised over the whole
    document (one ``np.unique`` over (sentence, bucket) keys) because this runs on every article."""
    doc = as_document(text)
    cached = doc.__dict__.get("_flu_mt")
    if cached is not None:
        return cached
    out: list[tuple[int, int, float]] = []
    model = _mt_model()
    if model is not None:
        import numpy as np

        w, bias, _ = model
        t = doc.text
        spans, parts, lens, pair_lens = [], [], [], []
        pairs: list[str] = []
        findall, join, add_pairs = _MT_TOKEN_RE.findall, b"".join, pairs.extend
        for s, e in doc.sentences:
            sent = t[s:e]
            if len(sent.split()) < MT_MIN_WORDS:
                continue
            # the buckets of _sentence_buckets(sent): its tokens' here, its bigrams' below
            toks = findall(sent)
            low = ["<s>", *map(str.lower, toks), "</s>"]
            add_pairs(map(" ".join, zip(low, low[1:], strict=False)))  # x + " " + y
            b = join(map(_token_bytes, toks))
            spans.append((s, e))
            parts.append(b)
            lens.append(len(b) // 4)
            pair_lens.append(len(low) - 1)
        if spans:
            # The bigram buckets, _h("w2:" + pair) for the document's pairs at once: crc32 of a
            # concatenation is crc32 of its tail started from the head's crc, and the maps run in
            # C (a bigram is new to a memo more often than not, so it keeps none). Within a
            # sentence the order of its keys is immaterial (np.unique sorts them).
            head = zlib.crc32(b"w2:")
            crcs = map(zlib.crc32, map(str.encode, pairs), repeat(head))
            pair_keys = np.fromiter(crcs, dtype=np.int64, count=len(pairs)) & (MT_BUCKETS - 1)
            n = len(spans)
            sid = np.concatenate(
                (
                    np.repeat(np.arange(n, dtype=np.int64), lens),
                    np.repeat(np.arange(n, dtype=np.int64), pair_lens),
                )
            )
            keys = np.concatenate(
                (np.frombuffer(b"".join(parts), dtype=np.intc).astype(np.int64), pair_keys)
            )
            uniq, counts = np.unique(sid * MT_BUCKETS + keys, return_counts=True)
            usid = uniq // MT_BUCKETS
            cnt = counts.astype(np.float64)
            norm = np.sqrt(np.bincount(usid, weights=cnt * cnt, minlength=len(spans)))
            dot = np.bincount(usid, weights=w[uniq % MT_BUCKETS] * cnt, minlength=len(spans))
            logits = dot / np.where(norm > 0, norm, 1.0) + bias
            out = [(s, e, float(x)) for (s, e), x in zip(spans, logits.tolist(), strict=True)]
    doc.__dict__["_flu_mt"] = out
    return out


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x > -60 else 0.0
