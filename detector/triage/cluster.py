"""Near-duplicate grouping: word shingles, MinHash and LSH (datasketch).

Syndicated copies of one story share almost all their word 3-grams; spun copies (a spinner
swapping words for synonyms) keep fewer, so the default Jaccard threshold is moderate. LSH
proposes candidate pairs, each pair is confirmed on the exact shingle sets (Jaccard similarity,
or containment of the shorter text in the longer, for truncated or padded copies), and
confirmed pairs are merged into clusters (union-find).
"""

from __future__ import annotations

import re

SHINGLE_WORDS = 3
NUM_PERM = 128
DEFAULT_THRESHOLD = 0.4

_WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)


def shingles(text: str, k: int = SHINGLE_WORDS) -> set[str]:
    words = _WORD_RE.findall(text.lower())
    if len(words) < k:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + k]) for i in range(len(words) - k + 1)}


def similarity(a: set[str], b: set[str]) -> float:
    """max(Jaccard, 0.9 * containment of the smaller set) of two shingle sets."""
    if not a or not b:
        return 0.0
    inter = len(a & b)
    jac = inter / len(a | b)
    cont = inter / min(len(a), len(b))
    return max(jac, 0.9 * cont)


def clusters(
    texts: list[str], threshold: float = DEFAULT_THRESHOLD, *, num_perm: int = NUM_PERM
) -> list[int]:
    """A group label per text: equal labels = near-duplicates. Labels are the index of the
    first member of each group (a text in no group gets its own index)."""
    n = len(texts)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    if n < 2:
        return parent
    from datasketch import MinHash, MinHashLSH

    sets = [shingles(t) for t in texts]
    # LSH tuned below the confirmation threshold so containment-only pairs are proposed too.
    lsh = MinHashLSH(threshold=max(0.05, min(0.95, threshold * 0.6)), num_perm=num_perm)
    hashes = []
    for i, s in enumerate(sets):
        m = MinHash(num_perm=num_perm, seed=1)
        if s:
            m.update_batch([x.encode("utf-8") for x in s])
        hashes.append(m)
        if s:
            lsh.insert(str(i), m)
    for i, m in enumerate(hashes):
        if not sets[i]:
            continue
        for cand in lsh.query(m):
            j = int(cand)
            if j <= i:
                continue
            if similarity(sets[i], sets[j]) >= threshold:
                ri, rj = find(i), find(j)
                if ri != rj:
                    parent[max(ri, rj)] = min(ri, rj)
    return [find(i) for i in range(n)]
