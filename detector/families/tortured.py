"""FLU001: the tortured-phrase lexicon (hashes only) and its matcher.

The lexicon is the train half of the Problematic Paper Screener fingerprints (Cabanac, Labbé &
Magazinov 2021; research-use third-party data), compiled by :func:`build_tortured_lexicon` into
``resources/tortured_phrases.npz`` as 64-bit hashes of the normalised phrases and of their
context/exclusion terms; its text is not shipped. Rules for news text are in
:mod:`detector.families.fluency`'s docstring.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from itertools import compress
from pathlib import Path

from ..memo import CappedMemo
from ..text import Document
from .lexicon import doc_tokens, hash64, tokens

TORTURED_FILE = Path(__file__).resolve().parent.parent / "resources" / "tortured_phrases.npz"


def _phrase_key(phrase: str) -> str:
    return " ".join(tokens(phrase))


def build_tortured_lexicon(jsonl_path: str | os.PathLike, out: str | os.PathLike = TORTURED_FILE) -> int:
    """Compile the lexicon JSONL into hashes (no text): returns the number of phrases kept."""
    import json

    import numpy as np

    ph, first, ntok, req_ptr, req, exc_ptr, exc = [], [], [], [0], [], [0], []
    ctx_first: set[int] = set()  # first tokens and lengths of the context terms
    ctx_len: set[int] = set()
    prefix: set[int] = set()  # the phrases' proper prefixes of 2+ tokens (the matcher stops early)
    with open(jsonl_path, encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row.get("match_type") != "exact" or row.get("unparsed") or not row.get("phrase"):
                continue
            key = _phrase_key(row["phrase"])
            n = len(key.split())
            if "0" in key.split():  # numbers are folded to "0": such phrases cannot be matched
                continue
            requires = [_phrase_key(t) for t in row.get("also_requires") or [] if _phrase_key(t)]
            if n == 0 or n > 12 or (n == 1 and not requires):
                continue
            ph.append(hash64(key))
            first.append(hash64(key.split()[0]))
            parts = key.split()
            prefix.update(hash64(" ".join(parts[:m])) for m in range(2, n))
            ntok.append(n)
            req.extend(hash64(t) for t in requires)
            req_ptr.append(len(req))
            excludes = [_phrase_key(t) for t in row.get("excludes") or [] if _phrase_key(t)]
            exc.extend(hash64(t) for t in excludes)
            exc_ptr.append(len(exc))
            for t in requires + excludes:
                ctx_first.add(hash64(t.split()[0]))
                ctx_len.add(len(t.split()))
    np.savez_compressed(
        out,
        phrase=np.array(ph, dtype=np.uint64),
        first=np.array(sorted(set(first)), dtype=np.uint64),
        ntok=np.array(ntok, dtype=np.uint8),
        req_ptr=np.array(req_ptr, dtype=np.int32),
        req=np.array(req, dtype=np.uint64),
        exc_ptr=np.array(exc_ptr, dtype=np.int32),
        exc=np.array(exc, dtype=np.uint64),
        ctx_first=np.array(sorted(ctx_first), dtype=np.uint64),
        ctx_len=np.array(sorted(ctx_len), dtype=np.uint8),
        prefix=np.array(sorted(prefix), dtype=np.uint64),
    )
    return len(ph)


@lru_cache(maxsize=1)
def _lexicon():
    """(phrase hash -> list of (requires, excludes)), n-gram lengths needed, context lengths,
    hashes of the phrases' first tokens (a match can only start at such a token), of the context
    terms' first tokens, and of the phrases' proper prefixes of 2+ tokens (an n-gram that is none
    cannot grow into a phrase; None in an older file); None if absent."""
    import numpy as np

    if not TORTURED_FILE.exists():
        return None
    with np.load(TORTURED_FILE) as z:
        phrase = z["phrase"].tolist()
        ntok = z["ntok"].tolist()
        rp, rq, ep, ex = z["req_ptr"], z["req"].tolist(), z["exc_ptr"], z["exc"].tolist()
        first = frozenset(z["first"].tolist()) if "first" in z.files else None
        ctx = (
            (frozenset(z["ctx_first"].tolist()), sorted(z["ctx_len"].tolist()))
            if "ctx_first" in z.files
            else None
        )
        prefix = frozenset(z["prefix"].tolist()) if "prefix" in z.files else None
    table: dict[int, list[tuple[tuple[int, ...], tuple[int, ...]]]] = {}
    lengths = set(ntok)
    ctx_lengths = set()
    for i, h in enumerate(phrase):
        reqs = tuple(rq[rp[i] : rp[i + 1]])
        excs = tuple(ex[ep[i] : ep[i + 1]])
        table.setdefault(h, []).append((reqs, excs))
    # context terms may be of any length up to the longest phrase
    ctx_lengths = set(range(1, max(lengths) + 1)) if lengths else set()
    if ctx is not None:
        ctx_lengths = set(ctx[1])
    # token -> does a phrase start with it (tokens recur across articles; one memo per lexicon)
    starts = None if first is None else CappedMemo(1 << 17)
    return table, sorted(lengths), sorted(ctx_lengths), first, None if ctx is None else ctx[0], prefix, starts


def _tortured_hits(doc: Document) -> list[tuple[int, int]]:
    cached = doc.__dict__.get("_flu_tortured")
    if cached is None:
        cached = doc.__dict__["_flu_tortured"] = _compute_tortured_hits(doc)
    return cached


def _context_hashes(toks: list[str], ctx_lengths: list[int], ctx_first: frozenset[int] | None) -> set[int]:
    """Hashes of the article's n-grams that can be a context (``AND``/``NOT``) term: those
    starting at a token that starts some context term, of a context term's length (the
    lexicon records both). Hashing every 1..12-gram instead cost ~10 s per MB (a budget-breaker
    for long documents); the answer for every context term is the same."""
    out: set[int] = set()
    if ctx_first is None:  # an older lexicon file: every n-gram up to 12 words
        starts = range(len(toks))
        ctx_lengths = list(range(1, 13))
    else:
        starts = [j for j, w in enumerate(toks) if hash64(w) in ctx_first]
    n = len(toks)
    for j in starts:
        for m in ctx_lengths:
            if j + m <= n:
                out.add(hash64(" ".join(toks[j : j + m])))
    return out


def _compute_tortured_hits(doc: Document) -> list[tuple[int, int]]:
    lex = _lexicon()
    if lex is None:
        return []
    table, lengths, ctx_lengths, first, ctx_first, prefix, starts_memo = lex
    words = doc.words
    toks = doc_tokens(doc)
    cand = []
    all_hashes: set[int] | None = None
    if first is None:
        starts = range(len(toks))
    else:
        get_start = starts_memo.get
        flags = [get_start(w) for w in toks]
        if None in flags:  # tokens not seen yet
            new = first.__contains__
            flags = [
                starts_memo(w, lambda w: new(hash64(w))) if f is None else f
                for w, f in zip(toks, flags, strict=True)
            ]
        starts = list(compress(range(len(toks)), flags))
    # every n-gram of a lexicon length at each start: the key grows a token at a time (no
    # re-joining) while it is a prefix of some phrase; n-grams of 3+ tokens seldom recur, so they
    # skip the hash memo
    wanted = [n in lengths for n in range(lengths[-1] + 1)] if lengths else [False]
    get = table.get
    n_toks = len(toks)
    blake2b, from_bytes = hashlib.blake2b, int.from_bytes  # hash64_uncached, inlined (hot loop)
    for i in starts:
        key = toks[i]
        if wanted[1]:
            entries = get(hash64(key))
            if entries:
                cand.append((i, 1, entries))
        for n in range(2, min(len(wanted) - 1, n_toks - i) + 1):
            key = key + " " + toks[i + n - 1]
            if wanted[n] or prefix is not None:
                if n == 2:
                    h = hash64(key)
                else:
                    h = from_bytes(blake2b(key.encode("utf-8"), digest_size=8).digest(), "little")
                if wanted[n]:
                    entries = get(h)
                    if entries:
                        cand.append((i, n, entries))
                if prefix is not None and h not in prefix:
                    break  # no phrase starts with these n tokens
    if not cand:
        return []
    out = []
    for i, n, entries in cand:
        ok = False
        for reqs, excs in entries:
            if reqs or excs:
                if all_hashes is None:
                    all_hashes = _context_hashes(toks, ctx_lengths, ctx_first)
                if any(r not in all_hashes for r in reqs) or any(x in all_hashes for x in excs):
                    continue
            ok = True
            break
        if ok:
            out.append((words[i][0], words[i + n - 1][1]))
    # drop hits nested in a longer hit
    out.sort(key=lambda se: (se[0], -se[1]))
    kept: list[tuple[int, int]] = []
    for s, e in out:
        if kept and s < kept[-1][1]:
            continue
        kept.append((s, e))
    return kept
