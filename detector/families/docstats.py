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
    its word lengths plus n - 1 spaces. Pure Python: the short texts' path, and the reference of
    :func:`_ngram_chars_numpy`.
    """
    if len(ids) < n:
        return 0
    counts = Counter(zip(*(ids[k:] for k in range(n)), strict=False))
    if max(counts.values()) <= 1:
        return 0
    gram, count = max(counts.items(), key=itemgetter(1))  # first maximal, as most_common(1)
    return (sum(lens[w] for w in gram) + n - 1) * count


def _dup_ngram_chars(ids: list[int], lens: list[int], n: int) -> int:
    """Characters in n-grams that repeat an earlier n-gram, scanning left to right and skipping
    past each repeat (pure Python: the short texts' path, the reference of the numpy one)."""
    grams = list(zip(*(ids[k:] for k in range(n)), strict=False))
    if len(set(grams)) == len(grams):
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


_NUMPY_MIN = 64  # words: below this, Python's Counter is quicker than numpy's call overhead


def _ngram_chars(ids: list[int], lens: list[int]) -> tuple[list[int], list[int]]:
    """``(top, dup)``: :func:`_top_ngram_chars` for n = 2, 3, 4 and :func:`_dup_ngram_chars`
    for n = 5, 6, ... up to the first n with no repeated n-gram (0 from there on: no longer
    n-gram repeats either), through numpy from ``_NUMPY_MIN`` words."""
    if len(ids) >= _NUMPY_MIN:
        return _ngram_chars_numpy(ids, lens)
    top = [_top_ngram_chars(ids, lens, n) for n in (2, 3, 4)]
    dup = []
    for n in range(5, 11):
        chars = _dup_ngram_chars(ids, lens, n)
        if not chars:
            break
        dup.append(chars)
    return top, dup


def _ngram_chars_numpy(ids: list[int], lens: list[int]) -> tuple[list[int], list[int]]:
    """:func:`_ngram_chars` from one ``np.unique`` per n: each n-gram is coded as the dense
    number of its (n-1)-gram prefix times the vocabulary size plus its last word id (equal codes
    for equal n-grams, whatever the vocabulary: the numbers stay below words x vocabulary). The
    duplicate scan only visits the positions of n-grams that occur more than once: a position
    whose n-gram occurs once is never a repeat, and marking it seen changes nothing."""
    import numpy as np

    a = np.asarray(ids, dtype=np.int64)
    size, v = a.size, len(lens)
    top: list[int] = []
    dup: list[int] = []
    codes = a
    for n in range(2, 11):
        m = size - n + 1
        if m <= 0:
            break
        codes = codes[:m] * v + a[n - 1 : n - 1 + m]
        _, inv, counts = np.unique(codes, return_inverse=True, return_counts=True)
        most = int(counts.max())
        if n <= 4:
            if most <= 1:
                top.append(0)
            else:
                # the first position of a maximal n-gram starts the first maximal n-gram to occur
                at = int(np.argmax(counts[inv] == most))
                top.append((sum(lens[w] for w in ids[at : at + n]) + n - 1) * most)
        else:
            if most <= 1:
                break
            rep = np.flatnonzero(counts[inv] > 1)
            seen: set[int] = set()
            chars = i = 0
            for p, g in zip(rep.tolist(), inv[rep].tolist(), strict=True):
                if p < i:
                    continue  # inside the previous repeat, skipped
                if g in seen:
                    chars += sum(lens[w] for w in ids[p : p + n]) + n - 1
                    i = p + n
                else:
                    seen.add(g)
                    i = p + 1
            dup.append(chars)
        codes = inv.astype(np.int64, copy=False)
    return top, dup


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
    ids = [vocab.setdefault(w, len(vocab)) for w in doc.lower_words]
    lens = [len(w) for w in vocab]  # vocab preserves insertion order: lens[id] = len(word)
    top, dup = _ngram_chars(ids, lens)
    for n, chars in zip((2, 3, 4), top, strict=True):
        out[f"top_{n}gram_char_frac"] = chars / total
    for n, chars in enumerate(dup, 5):  # no n-gram repeats past these, so no longer one does: 0
        out[f"dup_{n}gram_char_frac"] = chars / total
    return {k: float(min(1.0, v)) for k, v in out.items()}
