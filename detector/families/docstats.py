"""Gopher-style repetition statistics as document statistics (no findings).

The quantities of Rae et al. 2021 ("Scaling Language Models: Methods, Analysis & Insights from
Training Gopher", appendix A, the ``RepetitionRemoval`` rules), computed the way datatrove's
``GopherRepetitionFilter`` computes them, so values are comparable with published thresholds:

- ``dup_line_frac`` / ``dup_line_char_frac``: share of lines (by count / by characters) that
  repeat an earlier line; same for paragraphs (``dup_para_*``).
- ``top_{2,3,4}gram_char_frac``: characters covered by the most frequent word n-gram (its
  length times its count, when it occurs more than once) over all characters.
- ``dup_{5..10}gram_char_frac``: characters in word n-grams that repeat an earlier n-gram
  (scanning left to right, skipping past each repeat) over all characters.

Every value is a fraction in [0, 1]. The classifier (:mod:`detector.features`) consumes them; they
are also useful on their own (Gopher drops documents above 0.30 / 0.20 / 0.15-0.10 for these).
"""

from __future__ import annotations

from collections import Counter
from operator import itemgetter

from ..text import Document, as_document

KEYS = (
    "dup_line_frac",
    "dup_line_char_frac",
    "dup_para_frac",
    "dup_para_char_frac",
    "top_2gram_char_frac",
    "top_3gram_char_frac",
    "top_4gram_char_frac",
    "dup_5gram_char_frac",
    "dup_6gram_char_frac",
    "dup_7gram_char_frac",
    "dup_8gram_char_frac",
    "dup_9gram_char_frac",
    "dup_10gram_char_frac",
)


def _dup_elements(items: list[str]) -> tuple[int, int]:
    seen: set[str] = set()
    n_dup = chars = 0
    for x in items:
        if x in seen:
            n_dup += 1
            chars += len(x)
        else:
            seen.add(x)
    return n_dup, chars


def _top_ngram_chars(ids: list[int], lens: list[int], n: int) -> int:
    """Characters covered by the most frequent n-gram (first one on ties), if it repeats.

    Word n-grams are compared as tuples of word ids (words never contain spaces, so this is the
    same as comparing the space-joined strings); an n-gram's length in characters is the sum of
    its word lengths plus n - 1 spaces.
    """
    if len(ids) < n:
        return 0
    keys = _gram_keys(ids, len(lens), n)
    if keys is not None:  # the same count and first maximal n-gram, from one sort of int64 keys
        import numpy as np

        _, first, counts = np.unique(keys, return_index=True, return_counts=True)
        top = int(counts.max())
        if top <= 1:
            return 0
        at = int(first[counts == top].min())  # the first maximal n-gram to occur, as Counter's
        return (sum(lens[w] for w in ids[at : at + n]) + n - 1) * top
    counts = Counter(zip(*(ids[k:] for k in range(n)), strict=False))
    if max(counts.values()) <= 1:
        return 0
    gram, count = max(counts.items(), key=itemgetter(1))  # first maximal, as most_common(1)
    return (sum(lens[w] for w in gram) + n - 1) * count


_NUMPY_MIN = 64  # words: below this, Python's Counter is quicker than numpy's call overhead


def _gram_keys(ids: list[int], n_vocab: int, n: int):
    """Each word n-gram of ``ids`` as one int64 (its ids as digits in base ``n_vocab``): equal
    keys for equal n-grams. None when they would not fit in 63 bits or the text is short."""
    if len(ids) < _NUMPY_MIN or n_vocab ** n >= 1 << 63:
        return None
    import numpy as np

    a = np.asarray(ids, dtype=np.int64)
    m = a.size - n + 1
    keys = a[:m].copy()
    for k in range(1, n):
        keys *= n_vocab
        keys += a[k : k + m]
    return keys


def _dup_ngram_chars(ids: list[int], lens: list[int], n: int) -> int:
    keys = _gram_keys(ids, len(lens), n)
    if keys is not None:
        import numpy as np

        if np.unique(keys).size == keys.size:  # no n-gram occurs twice: nothing to scan
            return 0
    grams = list(zip(*(ids[k:] for k in range(n)), strict=False))
    if keys is None and len(set(grams)) == len(grams):
        return 0
    seen: set[tuple[int, ...]] = set()
    chars = 0
    i = 0
    last = len(grams)
    while i < last:
        gram = grams[i]
        if gram in seen:
            chars += sum(lens[w] for w in gram) + n - 1
            i += n
        else:
            seen.add(gram)
            i += 1
    return chars


def stats(text: str | Document) -> dict[str, float]:
    doc = as_document(text)
    t = doc.text
    total = max(1, len(t.strip()))
    out = dict.fromkeys(KEYS, 0.0)
    lines = [t[s:e] for s, e in doc.lines]
    if lines:
        n, c = _dup_elements(lines)
        out["dup_line_frac"] = n / len(lines)
        out["dup_line_char_frac"] = c / total
    paras = [" ".join(t[s:e].split()) for s, e in doc.paragraphs]
    if paras:
        n, c = _dup_elements(paras)
        out["dup_para_frac"] = n / len(paras)
        out["dup_para_char_frac"] = c / total
    vocab: dict[str, int] = {}
    ids = [vocab.setdefault(t[s:e].lower(), len(vocab)) for s, e in doc.words]
    lens = [len(w) for w in vocab]  # vocab preserves insertion order: lens[id] = len(word)
    for n in (2, 3, 4):
        out[f"top_{n}gram_char_frac"] = _top_ngram_chars(ids, lens, n) / total
    for n in range(5, 11):
        chars = _dup_ngram_chars(ids, lens, n)
        if not chars:  # no n-gram repeats, so no longer one does: the rest stay 0
            break
        out[f"dup_{n}gram_char_frac"] = chars / total
    return {k: float(min(1.0, v)) for k, v in out.items()}
