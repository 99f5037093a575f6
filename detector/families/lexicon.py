"""The shared word look-ups families consult: is a word known to the general-English language
model or to the reference news vocabulary, and how frequent is it.

The name family (NAM004-NAM006: is a capitalised word in any lexicon, which frequent word is it
one typing slip from) and the fluency family use the same two lexicons. Families use them only
through this module's public functions.

The reference news vocabulary (hashed unigrams and bigrams of half the BBC train split,
``resources/bbc_ngrams.npz``, built by :func:`detector.families.fluency.build_reference`) and the
token normalisation and hashes every hashed resource uses live here; the general-English language
model stays in :mod:`.fluency_lm`, imported lazily (loading it costs tens of milliseconds, and a
cold ``detector score`` run may not need it).
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache, partial
from operator import methodcaller
from pathlib import Path

from ..memo import bounded_cache
from ..text import WORD_RE, Document

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
NGRAM_FILE = RESOURCES / "bbc_ngrams.npz"
BROAD_VOCAB_FILE = RESOURCES / "broad_vocab.npz"  # built by fluency.build_broad_vocabulary
_DIGIT_RE = re.compile(r"\d")


# Tokens, words and bigrams recur across articles: memoising the normalisation and the hashes
# makes the per-article cost a dictionary look-up for most of them.
@bounded_cache(1 << 18)
def norm_token(word: str) -> str:
    w = word.lower().replace("’", "'")
    return "0" if _DIGIT_RE.search(w) else w


@bounded_cache(1 << 19)
def hash32(s: str) -> int:
    return int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=4).digest(), "little")


def hash32_array(strings):
    """:func:`hash32` of each of ``strings`` as a ``uint32`` array, computed in C maps (no memo, no
    Python call per string): for strings that seldom recur."""
    import numpy as np

    digests = map(_DIGEST, map(_BLAKE2B_4, map(str.encode, strings)))
    return np.frombuffer(b"".join(digests), dtype="<u4")


_BLAKE2B_4 = partial(hashlib.blake2b, digest_size=4)
_DIGEST = methodcaller("digest")


def hash64_uncached(s: str) -> int:
    """:func:`hash64` without the memo: for strings that seldom recur (long n-grams), where a
    memo entry costs more than the hash and evicts entries that do recur."""
    return int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest(), "little")


hash64 = bounded_cache(1 << 18)(hash64_uncached)


@lru_cache(maxsize=1)
def _reference():
    import numpy as np

    if not NGRAM_FILE.exists():
        return None
    with np.load(NGRAM_FILE) as z:
        return z["unigrams"], z["bigrams"], z["frequent"]


def in_reference_vocabulary(word: str) -> bool:
    """Is this (normalised, lower-case) word among the reference corpus's unigrams?"""
    ref = _reference()
    if ref is None:
        return False
    return bool(_member(ref[0], [hash32(word)])[0])


def _member(sorted_arr, values):
    import numpy as np

    q = np.asarray(values, dtype=np.uint32)
    if q.size == 0 or sorted_arr.size == 0:
        return np.zeros(q.size, dtype=bool)
    idx = np.searchsorted(sorted_arr, q)
    idx[idx >= sorted_arr.size] = 0
    return sorted_arr[idx] == q


def lm_available() -> bool:
    """Is the general-English language model installed and loadable?"""
    from .fluency_lm import lm_available as _available

    return _available()


_LOGPROB = None  # fluency_lm.unigram_logprob, bound on first use (the name checks call it per word)


def unigram_logprob(word: str) -> float | None:
    """Natural-log unigram probability of a lower-case word in the general-English language
    model; None when the word is out of its vocabulary or the model is unavailable."""
    global _LOGPROB
    if _LOGPROB is None:
        from .fluency_lm import unigram_logprob as _logprob

        _LOGPROB = _logprob
    return _LOGPROB(word)


@lru_cache(maxsize=1)
def _broad_vocab():
    """The sorted hashes of the broad English vocabulary (wordfreq's large list), or None."""
    import numpy as np

    if not BROAD_VOCAB_FILE.exists():
        return None
    with np.load(BROAD_VOCAB_FILE) as z:
        return np.cumsum(z["gaps"], dtype=np.uint32)


def in_broad_vocabulary(word: str) -> bool:
    """Is the lower-cased ``word`` in the broad English vocabulary (wordfreq's large list, which
    also holds names, places and foreign words common in English text)? False without it."""
    vocab = _broad_vocab()
    return vocab is not None and bool(_member(vocab, [hash32(word.lower())])[0])


def known_word(word: str) -> bool:
    """Does the language model or the reference news vocabulary know ``word``?"""
    return unigram_logprob(word) is not None or in_reference_vocabulary(word)


def tokens(text: str) -> list[str]:
    return [norm_token(m.group()) for m in WORD_RE.finditer(text)]


def doc_tokens(doc: Document) -> list[str]:
    """The normalised tokens of ``doc.words`` (computed once per Document)."""
    cached = doc.__dict__.get("_flu_tokens")
    if cached is None:
        cached = doc.__dict__["_flu_tokens"] = list(map(norm_token, doc.word_texts))
    return cached


def sentence_tokens(doc: Document) -> list[list[str]]:
    """``tokens`` of each sentence (computed once per Document, from its shared tokenisation)."""
    cached = doc.__dict__.get("_flu_sent_tokens")
    if cached is None:
        toks = doc_tokens(doc)
        cached, i = [], 0
        for spans in doc.sentence_words:
            cached.append(toks[i : i + len(spans)])
            i += len(spans)
        doc.__dict__["_flu_sent_tokens"] = cached
    return cached
