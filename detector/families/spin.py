"""Synonym-spinning evidence over a whole document: a likelihood ratio, no finding.

A synonym spinner replaces a share of the content words by a thesaurus synonym picked with
little regard for context ("in *tardy* December", "the *administration* of the team"). Reading
a word ``w`` we cannot know whether it was swapped, but we can weigh the two explanations with
the general-English trigram model (:mod:`.fluency_lm`) and the thesaurus (:mod:`.collocation`):

- written as is:  ``P(w | context)``
- swapped:        ``sum over headwords o listing w  P(o | context) * q(w | o)``, where a spinner
  replacing ``o`` picks one of its senses, then one of that sense's synonyms: ``q(w | o) = sum
  over the senses of o that list w of 1 / (senses of o * synonyms in the sense)``
  (:func:`read_spin_table`; MyThes *plain* synonyms, the thesaurus a spinner draws from), mixed
  with a small share (:data:`LOOSE_SHARE`) of the looser links FLU004 also follows (similar,
  related and generic terms), which real spinners use too

``context`` is two words each side: ``log P(x | l2 l1) + log P(r1 | l1 x) + log P(r2 | x r1)``.
With a prior swap rate ``pi`` (:data:`PRIOR`), a word contributes ``log((1 - pi) + pi * LR)``, the
log-likelihood ratio of "this text was spun at rate pi" against "it was not", and the document
statistic ``flu_swap_spin_llr`` is the mean over its eligible words (lower-case alphabetic words of
4+ letters outside the stop list that some headword lists as a synonym; a word the LM does not
know is weighed against :data:`OOV_FLOOR` without context). It is a rate for the
classifier, not a finding: per word the evidence is too weak to show a person (a writer's
unusual but right word choice gets a high ratio too), over a document it adds up.

A spinner also puts a two-word thesaurus entry in place of a single word ("the *living quarters*
of the year" for quarters, "*net income*" for profit; about a fifth of its swaps): such a pair
(an entry of the same table, ``resources/spin_synonyms.npz``) is weighed the same way against
the single words that list it.

Cost is bounded per word: only the :data:`TOP_K` commonest synonyms are weighed, of those only
the :data:`TOP_TRIGRAM` best under bigram context get the trigram score, and a word that both of
its neighbours predict (positive association on both sides) is taken as written without looking
at its synonyms.

Measured on 425 BBC *train* articles spun at 10 % (the training-data builder's spinner, seeded):
ROC-AUC of this statistic alone 0.88 with single words only, 0.92 adding the words the LM does
not know, 0.94 adding two-word entries (all with q = 1 / every thesaurus link of o); 0.962 with
plain synonyms only, 0.973 with the sense-then-synonym q above; a tenth of loose links
(:data:`LOOSE_SHARE`) costs about 0.005 there. On the test split (``scripts/measure_spinning.py``):
see docs/measurements.md.
"""

from __future__ import annotations

import math
import os
from functools import lru_cache

from ..memo import kept_lru_cache
from ..text import Document, as_document
from . import collocation, kernels
from . import fluency_lm as L

SPIN_TABLE_FILE = collocation.RESOURCES / "spin_synonyms.npz"

PRIOR = 0.1  # the swap rate the ratio is taken at (spinners swap 10-40 % of content words)
TOP_K = 6  # synonyms weighed per word, the commonest under the LM's unigrams (8: same ROC-AUC, slower)
TOP_TRIGRAM = 2  # of those, scored with the trigram context (the rest only pre-ranked by bigrams)
MIN_LEN = 4
# Share of a spinner's swaps taken along looser thesaurus links (similar, related, generic terms)
# rather than plain synonyms: real spinner output, such as the tortured phrases of scientific
# papers ("profound learning"), goes beyond plain synonyms. Measured with the statistic alone on
# 400 BBC *train* articles (spun at 10 %; 3 tortured phrases of half A injected): share 0 ->
# 0.969 / 0.605, 0.1 -> 0.964 / 0.705, 0.3 -> 0.958 / 0.719.
LOOSE_SHARE = 0.1
# log P of a word the LM does not know: about the 1st percentile of the unigram log-probabilities
# of the thesaurus words it does know (min -21.8, 1st percentile -18.0, median -14.1)
OOV_FLOOR = -18.0
_KEEP = 1.0 - PRIOR
_LOG_KEEP = math.log(_KEEP)


def _lse(vals: list[float]) -> float:
    top = max(vals)
    s = 0.0  # added left to right (sum() compensates its additions from Python 3.12 on)
    for v in vals:
        s += math.exp(v - top)
    return top + math.log(s)


def plain_senses(path: str | os.PathLike) -> dict[str, list[list[str]]]:
    """Lower-case alphabetic MyThes headwords -> their senses' *plain* synonyms (no glosses such
    as "(generic term)" or "(antonym)", not the headword itself, ASCII)."""
    out: dict[str, list[list[str]]] = {}
    for word, entry in collocation.mythes_entries(path):
        senses = [[p for p in parts if "(" not in p and p.lower() != word and p.isascii()] for parts in entry]
        senses = [x for x in senses if x]
        if senses and word.isalpha() and word.islower():
            out[word] = senses
    return out


def read_spin_table(path: str | os.PathLike = collocation.THESAURUS) -> dict[str, dict[str, float]]:
    """What a spinner writes for a word: each lower-case single word or two-word entry ``w`` that
    a thesaurus headword ``o`` lists as a plain synonym -> ``{o: q(w | o)}``, where a spinner
    replacing ``o`` picks one of its senses, then one synonym of that sense:
    ``q(w | o) = sum over the senses of o listing w of 1 / (senses of o * synonyms in the sense)``.
    A two-word entry ("living quarters" <- quarters) is what a spinner puts in place of a single
    word."""
    out: dict[str, dict[str, float]] = {}
    for o, senses in plain_senses(path).items():
        for sense in senses:
            share = 1.0 / (len(senses) * len(sense))
            for w in sense:
                ws = w.split()
                if not (w.islower() and (len(ws) == 1 and w.isalpha() or len(ws) == 2 and all(map(str.isalpha, ws)))):
                    continue
                d = out.setdefault(" ".join(ws), {})
                d[o] = d.get(o, 0.0) + share
    return out


def build_spin_table(out: str | os.PathLike = SPIN_TABLE_FILE, path: str | os.PathLike = collocation.THESAURUS) -> int:
    """Write :func:`read_spin_table`, cut to the :data:`TOP_K` commonest headwords per entry under
    the LM's unigrams (ties by spelling; headwords the LM does not know dropped), to ``out``: one
    UTF-8 string of lines ``w<TAB>o1 log_q1 o2 log_q2 ...``. Build time needs the Debian
    ``mythes-en-us`` package; run time only numpy. Returns the number of entries."""
    import numpy as np

    if L._lm() is None:
        raise FileNotFoundError("the pocketsphinx language model is not installed")
    lines = []
    for w, d in sorted(read_spin_table(path).items()):
        ranked = sorted(((u, o) for o in d if (u := L._unigram(o)) is not None), key=lambda x: (-x[0], x[1]))
        if ranked:
            lines.append(w + "\t" + " ".join(f"{o} {math.log(d[o]):.5f}" for _, o in ranked[:TOP_K]))
    tmp = f"{out}.tmp.npz"
    np.savez_compressed(tmp, table=np.frombuffer("\n".join(lines).encode("utf-8"), dtype=np.uint8))
    os.replace(tmp, out)
    return len(lines)


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    """The shipped table: entry -> its candidates, unparsed (parsed per entry on first use)."""
    import numpy as np

    if not SPIN_TABLE_FILE.exists():
        return {}
    with np.load(SPIN_TABLE_FILE) as z:
        text = z["table"].tobytes().decode("utf-8")
    return dict(line.split("\t", 1) for line in text.split("\n") if line)


def _parse(raw: str | None) -> tuple[tuple[str, float], ...]:
    if not raw:
        return ()
    p = raw.split()
    return tuple((p[i], float(p[i + 1])) for i in range(0, len(p), 2))


@lru_cache(maxsize=1 << 14)
def _compound_candidates(key: str) -> tuple[tuple[str, float], ...]:
    """Like :func:`_candidates` for a two-word thesaurus entry: the single words it may stand for."""
    return _parse(_table().get(key))


# kept when the streaming engine empties the memos (detector.memo.kept_lru_cache): ~25 us a word to
# build, ~21k distinct words over the 2,225 BBC articles
@kept_lru_cache(1 << 15)
def _candidates(w: str) -> tuple[tuple[str, float], ...]:
    """``(o, log q(w | o))`` for the :data:`TOP_K` commonest words a spinner may have replaced by
    ``w``: headwords listing ``w`` as a plain synonym (:func:`read_spin_table`) and, with weight
    :data:`LOOSE_SHARE`, the words of its looser thesaurus links (:func:`.collocation.synonyms`:
    similar, related and generic terms too; ``q = 1 / links of o``); () for words not weighed
    (short, stop words, in no thesaurus entry)."""
    if len(w) < MIN_LEN or w in collocation.STOP:
        return ()
    q = {o: (1.0 - LOOSE_SHARE) * math.exp(lq) for o, lq in _parse(_table().get(w))}
    for o in collocation.synonyms(w) if LOOSE_SHARE > 0 else ():
        q[o] = q.get(o, 0.0) + LOOSE_SHARE / max(1, collocation.synonym_count(o))
    ranked = sorted(((u, o) for o in q if (u := L._unigram(o)) is not None), key=lambda x: (-x[0], x[1]))
    return tuple((o, math.log(q[o])) for _, o in ranked[:TOP_K])


def _word_llr(lr: float) -> float:
    """One eligible word's contribution, ``log((1 - pi) + pi * LR)`` (``lr`` = log LR, capped)."""
    return math.log(_KEEP + PRIOR * math.exp(min(lr, 50.0)))


def spin_llr(text: str | Document) -> tuple[float, int]:
    """``(mean log-likelihood ratio per eligible word, number of eligible words)``; (0.0, 0)
    when the thesaurus or the language model is unavailable or no word qualifies. Computed by the
    compiled loop when it is built (:mod:`._kernels`), else by :func:`_spin_sum_python`: the
    same floats either way."""
    doc = as_document(text)
    cached = doc.__dict__.get("_flu_spin_llr")
    if cached is not None:
        return cached
    if not _table() or L._lm() is None:
        doc.__dict__["_flu_spin_llr"] = (0.0, 0)
        return 0.0, 0
    total, n = (_spin_sum_compiled if kernels.COMPILED else _spin_sum_python)(doc)
    out = (total / n, n) if n else (0.0, 0)
    doc.__dict__["_flu_spin_llr"] = out
    return out


# one entry per distinct word as written, for the compiled loop: ~30k over the 2,225 BBC articles
_WORD_INFO_CAP = 1 << 16
_word_infos: dict = {}


def _word_info(w: str) -> tuple:
    """What the loop needs of a word as written: ``(lower-cased, known to the LM, candidates
    (() unless lower-case), unigram of the word when a known candidate-bearing word, is
    lower-case)``."""
    low = w.lower()
    known = low.isalpha() and L._unigram(low) is not None
    lower = w.islower()
    cands = _candidates(w) if lower else ()
    return low, known, cands, L._unigram(w) if cands and known else None, lower


def _spin_sum_compiled(doc: Document) -> tuple[float, int]:
    """:func:`_spin_sum_python` through :func:`._kernels.spin_llr`."""
    return kernels.spin_llr(
        doc.text, doc.sentence_words, _table(), _word_infos, _WORD_INFO_CAP, _word_info,
        _compound_candidates, L._unigram, L._LN_BASE, _KEEP, _LOG_KEEP, PRIOR, OOV_FLOOR,
        TOP_TRIGRAM,
    )


def _spin_sum_python(doc: Document) -> tuple[float, int]:
    """``(sum of the eligible words' contributions, their number)``: the reference loop."""
    table = _table()
    t = doc.text
    # Look-ups: unigrams through their memo (nine in ten recur); bigrams and trigrams straight
    # from the model (``prob([w, h1, h2]) * ln``, what the fluency_lm memos compute): over the
    # 2,225 BBC articles only 38 % of the bigram and 24 % of the trigram look-ups recurred, and
    # a miss through a memo cost twice the model's own look-up
    uni, prob, ln = L._unigram, L._lm().prob, L._LN_BASE
    cands_of = _candidates
    total, n = 0.0, 0
    for spans in doc.sentence_words:
        raw = [t[a:b] for a, b in spans]
        low = [w.lower() for w in raw]
        known = [w.isalpha() and uni(w) is not None for w in low]
        m = len(raw)
        # the lower-case words some headword lists (most words are not: skipped in one pass)
        for i, w, cands in [(i, w, c) for i, w in enumerate(raw) if w.islower() and (c := cands_of(w))]:
            if not known[i]:
                # a thesaurus word the LM does not know (spinners pick obscure synonyms): its
                # synonyms against the floor probability, without context
                if w.isalpha():
                    n += 1
                    total += _word_llr(_lse([uni(o) + q for o, q in cands]) - OOV_FLOOR)
                continue
            l1 = low[i - 1] if i >= 1 and known[i - 1] else None
            r1 = low[i + 1] if i + 1 < m and known[i + 1] else None
            if l1 is None and r1 is None:
                continue
            l2 = low[i - 2] if l1 is not None and i >= 2 and known[i - 2] else None
            r2 = low[i + 2] if r1 is not None and i + 2 < m and known[i + 2] else None
            n += 1
            uw = uni(w)
            if l1 is None:
                left = uw
                right = prob([r1, w]) * ln
                if right > uni(r1):
                    total += _LOG_KEEP  # both neighbours predict the word: taken as written
                    continue
            else:
                left = (prob([w, l1, l2]) if l2 is not None else prob([w, l1])) * ln
                if r1 is None:
                    right = 0.0
                    if left > uw:
                        total += _LOG_KEEP
                        continue
                else:
                    right = prob([r1, w, l1]) * ln
                    if left > uw and right > uni(r1):
                        total += _LOG_KEEP
                        continue
            seen = left + right + (prob([r2, r1, w]) * ln if r2 is not None else 0.0)
            # bigram scores of every candidate (look-ups that recur across articles), then the full
            # trigram score for the TOP_TRIGRAM best of them only: they dominate the sum
            if l1 is None:
                rough = [(uni(o) + prob([r1, o]) * ln + q, o, q) for o, q in cands]
            elif r1 is None:
                rough = [(prob([o, l1]) * ln + q, o, q) for o, q in cands]
            else:
                rough = [(prob([o, l1]) * ln + prob([r1, o]) * ln + q, o, q) for o, q in cands]
            # the TOP_TRIGRAM largest (heapq.nlargest's answer: (score, word) pairs are distinct)
            rough.sort(reverse=True)
            vals = []
            for _, o, q in rough[:TOP_TRIGRAM]:
                if l1 is None:
                    c = uni(o) + prob([r1, o]) * ln
                else:
                    c = (prob([o, l1, l2]) if l2 is not None else prob([o, l1])) * ln
                    if r1 is not None:
                        c += prob([r1, o, l1]) * ln
                if r2 is not None:
                    c += prob([r2, r1, o]) * ln
                vals.append(c + q)
            total += _word_llr(_lse(vals) - seen)
        # two-word thesaurus entries in place of a single word ("the living quarters of the year")
        ok = [k and w.islower() for k, w in zip(known, raw, strict=True)]
        for i in [i for i in range(m - 1) if ok[i] and ok[i + 1] and f"{low[i]} {low[i + 1]}" in table]:
            cands = _compound_candidates(f"{low[i]} {low[i + 1]}")
            if not cands:
                continue
            l1 = low[i - 1] if i >= 1 and known[i - 1] else None
            r1 = low[i + 2] if i + 2 < m and known[i + 2] else None
            if l1 is None and r1 is None:
                continue
            a, b = low[i], low[i + 1]
            n += 1
            seen = (
                (prob([a, l1]) * ln if l1 is not None else uni(a))
                + prob([b, a]) * ln
                + (prob([r1, b, a]) * ln if r1 is not None else 0.0)
            )
            vals = [
                (prob([o, l1]) * ln if l1 is not None else uni(o)) + (prob([r1, o]) * ln if r1 is not None else 0.0) + q
                for o, q in cands
            ]
            total += _word_llr(_lse(vals) - seen)
    return total, n
