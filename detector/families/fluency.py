"""fluency family: spinner and machine-translation word choice.

Findings
--------
``FLU001`` tortured phrase: a spinner's synonym for a fixed term ("malignant growth" for "cancer",
"huge information" for "big data"). The lexicon is the train half of the Problematic Paper
Screener fingerprints (Cabanac, Labbé & Magazinov 2021; research-use third-party data). Its text
is **not** shipped: ``resources/tortured_phrases.npz`` holds only 64-bit hashes of the normalised
phrases (plus hashes of their context/exclusion terms), compiled by
:func:`build_tortured_lexicon` from ``../shared/data/spinning/tortured_phrases_train.jsonl``.
Because only hashes are shipped, a finding names the flagged span but cannot suggest the
expected term. Rules used (news text, not papers): exact-match rows only (proximity and
unparseable queries are skipped); an ``AND`` term must also occur in the article; a ``NOT`` term
must not; single-word phrases are used only when they carry an ``AND`` context term.

Statistics (``stats(doc)``; consumed by the classifier)
-------------------------------------------------------
Reference corpus: lower-cased word unigrams and within-sentence bigrams of **half of the BBC
train split** (the other half is kept for training the classifier so its clean examples do not
look artificially familiar), shipped as sorted ``uint32`` hashes in ``resources/bbc_ngrams.npz``
(never the text; built by :func:`build_reference`). Numbers are folded to ``0``.

- ``flu_unseen_bigram_share``: share of word bigrams never seen in the reference.
- ``flu_unseen_known_bigram_share``: the same, over bigrams whose two words are both in the
  reference vocabulary (odd combinations of ordinary words: spinner and MT word choice, not
  just new names).
- ``flu_oov_share``: share of lower-case words not in the reference vocabulary.
- ``flu_tortured_per1000w``: FLU001 hits per 1,000 words.
- ``flu_article_share``: share of words that are "the"/"a"/"an" (MT from article-less
  languages drops or misplaces them).
- ``flu_ttr_window``: mean type/token ratio over windows of 100 words (lexical variety).
- ``flu_unseen_frequent_bigram_share``: unseen bigrams among those of two of the 1,500 most
  frequent reference words.
- ``flu_nonascii_word_share``: lower-case words with letters outside ASCII (untranslated words).
- ``flu_lower_sentence_start_share``: sentences starting with a lower-case letter.
- ``flu_space_before_punct_per1000w``: tokenised-MT spacing (" ,", " .", "do n't", "( x").
- ``flu_sentence_length_cv``: coefficient of variation of sentence length in words.
- ``flu_lm_cond_mean``: mean ``log P(word | two previous words)`` under the general-English
  trigram model (:mod:`.fluency_lm`).
- ``flu_lm_assoc_mean``: mean ``log P(w|h) - log P(w)``: how much more (or less) likely words
  are where they stand than on their own; synonym spinning and literal MT push it down.
- ``flu_lm_odd_share``: share of word transitions with ``log P(w|h) - log P(w) < ODD_ASSOC``.
- ``flu_mt_mean_logit``: mean MT-sentence-model logit over sentences of >= 4 words.
- ``flu_mt_share``: share of those sentences the model calls MT (probability >= 0.5).
- ``flu_broad_oov_share``: share of alphabetic words starting with a lower-case letter (so
  names and sentence-initial words are skipped; "iPod" is looked up lower-cased) absent from a **broad** English vocabulary: the ~293k
  lower-case alphabetic words of ``wordfreq``'s large English list (Wikipedia, subtitles, news,
  books, web and social-media text; words with a frequency of at least 1 per 100 million words).
  Unlike ``flu_oov_share`` it does not measure resemblance to one outlet and year (median 0 on
  clean BBC and on modern news alike); it rises with spinner non-words and untranslated words.
  Shipped as sorted ``uint32`` hashes in ``resources/broad_vocab.npz`` (built once by
  :func:`build_broad_vocabulary`; ``wordfreq`` is needed only to build it, not at run time).

- ``flu_swap_per1000w``: FLU004 swapped collocations per 1,000 words (:mod:`.collocation`).
- ``flu_swap_word_share``: share of the words covered by FLU004 pairs.
- ``flu_swap_spin_llr``: the spinning likelihood ratio per eligible word (:mod:`.spin`): how much
  better thesaurus synonyms fit where the words stand. It replaced a contextual-swap count
  (words with a commoner synonym that fits both neighbours far better), which added nothing next to it (10 % spinning on BBC
  train: ROC-AUC 0.951 for the ratio alone, 0.913 for both in one logistic model, 0.748 for the
  count alone).

``FLU004`` (warning, with a suggestion): a word pair that reads like a thesaurus swap of one
word of a common, established phrase ("speech acknowledgment" -> "speech recognition"); no list
of spun phrases is involved, see :mod:`.collocation`.

``FLU002`` (info): a sentence the MT sentence model scores at or above its flag probability
(stored with the model; chosen so 1% of clean BBC sentences are flagged). ``FLU003`` (info): a
word pair the language model finds very unlikely although both words are common
(``log P(w|h) - log P(w) < FLAG_ASSOC_ANY``, or ``< FLAG_ASSOC`` while ``log P(w|h) < FLAG_COND``):
"the of market". Calibrated on the BBC train split: about 1 flag per 1,000 words of clean copy,
2-3 times that in spun copy, so it is weak evidence (info) that the classifier weighs in bulk.
"""

from __future__ import annotations

import os
import re
from itertools import repeat
from operator import add, itemgetter, mul

from .. import settings
from ..findings import Finding
from ..memo import bounded_dict
from ..text import WORD_RE, Document, as_document
from . import collocation, fluency_lm, spin
from .collocation import FluencySettings
from .lexicon import (
    BROAD_VOCAB_FILE,
    NGRAM_FILE,
    _broad_vocab,
    _member,
    _reference,
    doc_tokens,
    hash32,
    hash32_array,
    sentence_tokens,
)
from .tortured import _tortured_hits

FAMILY = "fluency"

STAT_KEYS = (
    "flu_unseen_bigram_share",
    "flu_unseen_known_bigram_share",
    "flu_oov_share",
    "flu_tortured_per1000w",
    "flu_article_share",
    "flu_ttr_window",
    "flu_unseen_frequent_bigram_share",
    "flu_nonascii_word_share",
    "flu_lower_sentence_start_share",
    "flu_space_before_punct_per1000w",
    "flu_sentence_length_cv",
    "flu_lm_cond_mean",
    "flu_lm_assoc_mean",
    "flu_lm_odd_share",
    "flu_mt_mean_logit",
    "flu_mt_share",
    "flu_broad_oov_share",
    "flu_swap_per1000w",
    "flu_swap_word_share",
    "flu_swap_spin_llr",
)
N_FREQUENT = 1500

_DIGIT_RE = re.compile(r"\d")
_LATIN_RE = re.compile(r"^[0-9A-Za-z'’\-]+$")
_FIRST_ALPHA_RE = re.compile(r"[^\W\d_]")
_THIRD, _FOURTH = itemgetter(2), itemgetter(3)  # an LM transition's log P(w|h) and association
_SPACE_PUNCT_RE = re.compile(r"\w \s*[,.;:!?%)](?=\s|$)|\( \w| n't\b| 's\b")


# --------------------------------------------------------------------------------------------
# reference n-grams
# --------------------------------------------------------------------------------------------
def build_reference(texts, out: str | os.PathLike = NGRAM_FILE) -> dict[str, int]:
    """Hash the unigrams and within-sentence bigrams of ``texts`` into a compact artifact."""
    from collections import Counter

    import numpy as np

    uni: Counter[int] = Counter()
    bi: set[int] = set()
    for text in texts:
        for toks in sentence_tokens(Document(text)):
            uni.update(hash32(w) for w in toks)
            bi.update(hash32(f"{a} {b}") for a, b in zip(toks, toks[1:], strict=False))
    u = np.array(sorted(uni), dtype=np.uint32)
    f = np.array(sorted(h for h, _ in uni.most_common(N_FREQUENT)), dtype=np.uint32)
    b = np.array(sorted(bi), dtype=np.uint32)
    np.savez_compressed(out, unigrams=u, bigrams=b, frequent=f)
    return {"unigrams": int(u.size), "bigrams": int(b.size), "frequent": int(f.size)}


# --------------------------------------------------------------------------------------------
# broad English vocabulary (hashes only)
# --------------------------------------------------------------------------------------------
def build_broad_vocabulary(out: str | os.PathLike = BROAD_VOCAB_FILE, words=None) -> int:
    """Hash a broad English vocabulary into ``out``: by default the lower-case alphabetic words of
    ``wordfreq``'s large English list (needs ``pip install wordfreq`` at build time only; its
    data are CC BY-SA 4.0, see ``resources/README.md``). Stored as the first hash and the gaps
    between the sorted ``uint32`` hashes (they compress to ~2.3 bytes a word). Returns the
    number of words."""
    import numpy as np

    if words is None:
        from wordfreq import get_frequency_dict

        words = get_frequency_dict("en", "large")
    vocab = {w for w in words if w.isalpha() and w == w.lower()}
    h = np.unique(np.array([hash32(w) for w in vocab], dtype=np.uint32))
    gaps = np.diff(h, prepend=np.uint32(0)).astype(np.uint32)
    np.savez_compressed(out, gaps=gaps)
    return len(vocab)


def broad_oov_share(doc: Document) -> float | None:
    """Share of alphabetic words starting lower-case absent from the broad vocabulary (None
    without it)."""
    vocab = _broad_vocab()
    if vocab is None:
        return None
    words = doc.word_texts
    memo = _BROAD_KNOWN
    if _BROAD_KNOWN_OF[0] is not vocab:  # its entries hold for one vocabulary (tests load others)
        memo.clear()
        _BROAD_KNOWN_OF[0] = vocab
    known = list(map(memo.get, words))
    if None in known:  # words new to the memo: their hashes looked up together
        new = [w for w in dict.fromkeys(words) if w not in memo]
        keys = list(map(_broad_key, new))
        looked = [w for w, k in zip(new, keys, strict=True) if k is not None]
        hits = _member(vocab, [k for k in keys if k is not None]).tolist() if looked else []
        memo.update(dict.fromkeys(new, -1))
        memo.update(zip(looked, map(int, hits), strict=True))
        known = list(map(memo.__getitem__, words))
    n_in, n_out = known.count(1), known.count(0)
    if not n_in + n_out:
        return 0.0
    # numpy's mean of the booleans was this quotient of two exact integers
    return float(1.0 - n_in / (n_in + n_out))


def _reference_words(ref, words: list[str]) -> list[int]:
    """For each of ``words`` (distinct), 1 if among the reference unigrams ``ref[0]`` plus 2 if
    among its frequent words ``ref[2]``. Read from a memo; the words new to it are hashed and
    searched together."""
    memo = _REF_WORDS
    if _REF_WORDS_OF[0] is not ref:  # its entries hold for one reference
        memo.clear()
        _REF_WORDS_OF[0] = ref
    codes = list(map(memo.get, words))
    if None in codes:
        new = [w for w, c in zip(words, codes, strict=True) if c is None]
        h = hash32_array(new)
        uni = _member(ref[0], h).tolist()
        memo.update(zip(new, map(add, uni, map(mul, _member(ref[2], h).tolist(), repeat(2))), strict=True))
        codes = list(map(memo.__getitem__, words))
    return codes


_REF_WORDS = bounded_dict(1 << 17)
_REF_WORDS_OF: list = [None]


def _bigrams_seen(bi, keys: list[str]) -> list[bool]:
    """Is each bigram of ``keys`` (``"a b"``) among the reference bigrams ``bi``? Hashed in C maps
    and searched at once, without a memo: most of an article's bigrams are new to any memo (on
    the 2,225 BBC articles this took 0.47 s, against 0.70 s read from a memo of bigrams and
    0.85 s through the memoised hash32, the memo tables evicting the other families' entries
    from the processor caches)."""
    return _member(bi, hash32_array(keys)).tolist()


# broad_oov_share's memo, word -> 1 (in the broad vocabulary), 0 (not in it), -1 (skipped)
_BROAD_KNOWN = bounded_dict(1 << 17)
_BROAD_KNOWN_OF: list = [None]  # the vocabulary array its entries were looked up in


def _broad_key(word: str) -> int | None:
    """The hash :func:`broad_oov_share` looks up for one word of the text: None for a word it
    skips (not alphabetic, or not starting lower-case)."""
    w = word.replace("’", "'")
    return hash32(w.lower()) if w[0].islower() and w.isalpha() else None


# FLU003 is shown only for two words with nothing but space between them (letters, apostrophes)
_PLAIN_PAIR = re.compile(r"[^\W\d_][\w'’]*\s+[^\W\d_][\w'’]*")
_JOINERS = frozenset("-‐/")


def _ly_adverb(w: str) -> bool:
    """An adverb made from a word the LM knows ("locally", "gravely", "probably", "busily"); not
    a noun that merely ends so ("anomaly", "family")."""
    if len(w) < 5 or not w.endswith("ly"):
        return False
    stems = [w[:-2]]
    if w.endswith("ily"):
        stems.append(w[:-3] + "y")
    elif w.endswith("bly"):
        stems.append(w[:-1] + "e")
    return any(fluency_lm.unigram_logprob(x) is not None for x in stems)


def _sentence_starts(doc: Document) -> set[int]:
    """Offsets of each sentence's first letter."""
    out = set()
    for s, e in doc.sentences:
        m = _FIRST_ALPHA_RE.search(doc.text, s, e)
        if m:
            out.add(m.start())
    return out


def _has_proper_noun(text: str, s: int, e: int, sentence_starts: set[int]) -> bool:
    """Whether a word of the pair ``text[s:e]`` is capitalised other than at a sentence start: a
    name or title ("to Tass", "as Nalbandian", "with Think"), which the general-English trigram
    model knows only as a lower-case word, so its association score says nothing about the
    wording. Measured on the BBC train split: such pairs were 36% of FLU003 on clean copy and
    16% on spun copy, and about as frequent per article in both."""
    for m in WORD_RE.finditer(text, s, e):
        if m.group()[:1].isupper() and m.start() not in sentence_starts:
            return True
    return False


def _lexicon_suggestion(text: str, s: int, e: int, swaps) -> str | None:
    """The lexicon ships only hashes, so a FLU001 hit has no expected term; when a swapped pair
    (FLU004's rule) lies inside it, its established phrase gives one."""
    for a, b, sug in swaps:
        if s <= a and b <= e:
            return " ".join((text[s:a] + sug + text[b:e]).split())
    return None


def detect(text: str | Document) -> list[Finding]:
    cfg = settings.get(FluencySettings)
    doc = as_document(text)
    swaps = collocation.swapped_pairs(doc)
    out = [
        Finding(
            family=FAMILY,
            code="FLU001",
            start=s,
            end=e,
            message=f"tortured phrase '{doc.text[s:e]}' (spinner synonym for a fixed term)",
            suggestion=_lexicon_suggestion(doc.text, s, e, swaps),
            severity="warning",
        )
        for s, e in _tortured_hits(doc)
    ]
    taken = [(f.start, f.end) for f in out]
    for s, e, suggestion in swaps:
        if any(a < e and s < b for a, b in taken):
            continue
        out.append(
            Finding(
                family=FAMILY,
                code="FLU004",
                start=s,
                end=e,
                message=f"'{doc.text[s:e]}' reads like a synonym swap of the common phrase '{suggestion}' "
                "(spinner or tortured phrase?)",
                suggestion=suggestion,
                severity="warning",
            )
        )
    flag = fluency_lm.mt_flag_threshold()
    for s, e, logit in fluency_lm.mt_sentence_logits(doc):
        p = fluency_lm.sigmoid(logit)
        if p >= flag:
            out.append(
                Finding(
                    family=FAMILY,
                    code="FLU002",
                    start=s,
                    end=e,
                    message=f"sentence reads like machine translation (MT sentence model p={p:.2f})",
                    severity="info",
                )
            )
    taken = [(f.start, f.end) for f in out if f.code in ("FLU001", "FLU004")]
    starts = None  # sentence starts, found once an odd pair needs them
    for s, e, cond, assoc in fluency_lm.lm_transitions(doc):
        odd = assoc < cfg.flag_assoc_any or (assoc < cfg.flag_assoc and cond < cfg.flag_cond)
        if not odd or any(a < e and s < b for a, b in taken):
            continue
        if (
            not _PLAIN_PAIR.fullmatch(doc.text, s, e)
            or doc.text[s - 1 : s] in _JOINERS
            or doc.text[e : e + 1] in _JOINERS
        ):
            # a pair across a comma ("year, dipping"), or half of a hyphenated word ("in
            # make-up", "the so-called"): the LM scores the words as if adjacent, the text does
            # not read them so; most such flags on clean copy were wrong
            continue
        pair_words = doc.text[s:e].lower().split()
        if _ly_adverb(pair_words[0]) or _ly_adverb(pair_words[-1]):
            # "sent simultaneously", "set locally", "point succinctly": the LM lacks the pair, but
            # on the training WMT rows such flags were 8 times rarer in MT output than in the
            # human references (0.006 against 0.049 per 1,000 words)
            continue
        if pair_words[0] in collocation.STOP and pair_words[-1] not in collocation.STOP:
            # a function word before a rarer content word ("it flagged", "she anchors"): the LM
            # just lacks that bigram; on clean news most such flags were wrong (FLU003 0.25 ->
            # 0.14 per 1,000 words of wmt21_en_news, 0.46 -> 0.18 on BBC train) while the MT /
            # human-reference ratio of the rate rose (1.9x -> 2.6x on the training WMT rows)
            continue
        if starts is None:
            starts = _sentence_starts(doc)
        if not _has_proper_noun(doc.text, s, e, starts):
            pair = " ".join(doc.text[s:e].split())
            out.append(
                Finding(
                    family=FAMILY,
                    code="FLU003",
                    start=s,
                    end=e,
                    message=f"unusual word sequence '{pair}' (very unlikely in general English although "
                    "both words are common; spinner or literal-translation word choice?)",
                    severity="info",
                )
            )
    out.sort(key=lambda f: (f.start, f.end, f.code))
    return out


def model_stats(doc: Document) -> dict[str, float]:
    """The language-model and MT-sentence-model statistics (0 when a model is unavailable)."""
    out = {}
    tr = fluency_lm.lm_transitions(doc)
    if tr:
        assoc = list(map(_FOURTH, tr))  # sums over lists: the same additions as over generators
        out["flu_lm_cond_mean"] = sum(map(_THIRD, tr)) / len(tr)
        out["flu_lm_assoc_mean"] = sum(assoc) / len(tr)
        odd = settings.get(FluencySettings).odd_assoc
        out["flu_lm_odd_share"] = sum(1 for a in assoc if a < odd) / len(tr)
    mt = fluency_lm.mt_sentence_logits(doc)
    if mt:
        logits = list(map(_THIRD, mt))  # (start, end, logit)
        out["flu_mt_mean_logit"] = sum(logits) / len(mt)
        out["flu_mt_share"] = sum(1 for x in logits if x >= 0) / len(mt)
    return out


def stats(text: str | Document) -> dict[str, float]:
    doc = as_document(text)
    out = dict.fromkeys(STAT_KEYS, 0.0)
    sents = sentence_tokens(doc)
    flat = doc_tokens(doc)  # the sentences' tokens, in order (every word is in one sentence)
    n_words = len(flat)
    if n_words == 0:
        return out
    out.update(model_stats(doc))
    out["flu_article_share"] = (flat.count("the") + flat.count("a") + flat.count("an")) / n_words
    if n_words >= 100:
        ttrs = [len(set(flat[i : i + 100])) / 100.0 for i in range(0, n_words - 99, 50)]
        out["flu_ttr_window"] = sum(ttrs) / len(ttrs)
    else:
        out["flu_ttr_window"] = len(set(flat)) / n_words
    out["flu_tortured_per1000w"] = 1000.0 * len(_tortured_hits(doc)) / max(n_words, 100)
    swaps = collocation.swapped_pairs(doc)
    out["flu_swap_per1000w"] = 1000.0 * len(swaps) / max(n_words, 100)
    out["flu_swap_word_share"] = 2.0 * len(swaps) / n_words
    out["flu_swap_spin_llr"] = spin.spin_llr(doc)[0]
    t = doc.text
    words = doc.words
    # lower-case words with non-English letters: untranslated words ("kórónuveiran"), not names
    # (an ASCII word always matches _LATIN_RE: WORD_RE's ASCII letters are [0-9A-Za-z'-], and so
    # does one whose only non-ASCII letter is ’: none in a text that has no other)
    n_foreign = 0 if t.replace("’", "").isascii() else sum(
        1 for w in (t[s:e] for s, e in words) if not w.isascii() and w[0].islower() and not _LATIN_RE.match(w)
    )
    out["flu_nonascii_word_share"] = n_foreign / max(1, len(words))
    sent_texts = [t[s:e] for s, e in doc.sentences]
    starts = [m.group() for m in (_FIRST_ALPHA_RE.search(x) for x in sent_texts) if m]
    if starts:
        out["flu_lower_sentence_start_share"] = sum(1 for c in starts if c.islower()) / len(starts)
    out["flu_space_before_punct_per1000w"] = 1000.0 * len(_SPACE_PUNCT_RE.findall(t)) / max(n_words, 100)
    lens = [len(x) for x in sents if x]
    if len(lens) >= 2:
        mean = sum(lens) / len(lens)
        var = sum((x - mean) ** 2 for x in lens) / len(lens)
        out["flu_sentence_length_cv"] = (var**0.5) / mean if mean else 0.0
    broad = broad_oov_share(doc)
    if broad is not None:
        out["flu_broad_oov_share"] = broad
    ref = _reference()
    if ref is None:
        return out
    bi = ref[1]
    # membership as Python bools (from memos of Python ints, not numpy scalars): the counts and
    # their quotients are the same integers and floats. Each word looked up once
    distinct = list(dict.fromkeys(flat))  # each word once, in order of first use
    codes = _reference_words(ref, distinct)  # bit 0: among the unigrams, bit 1: a frequent one
    vocab = dict(zip(distinct, map(bool, map((1).__and__, codes)), strict=True))
    known_lower = [vocab[w] for w, (s, _) in zip(flat, words, strict=True) if t[s].islower()]
    if known_lower:  # (numpy's mean of the booleans: the same quotient of two exact integers)
        out["flu_oov_share"] = float(1.0 - sum(known_lower) / len(known_lower))
    pairs = [p for s in sents for p in zip(s, s[1:], strict=False)]
    if pairs:
        seen = _bigrams_seen(bi, list(map(" ".join, pairs)))
        # (numpy's mean of the booleans was this quotient of two exact integers)
        out["flu_unseen_bigram_share"] = float(1.0 - seen.count(True) / len(seen))
        known_pairs = [vocab[a] and vocab[b] for a, b in pairs]
        n_known = sum(known_pairs)
        if n_known:
            unseen_known = sum(1 for k, s in zip(known_pairs, seen, strict=False) if k and not s)
            out["flu_unseen_known_bigram_share"] = float(unseen_known / n_known)
        fr = dict(zip(distinct, map(bool, map((2).__and__, codes)), strict=True))
        freq_pairs = [fr[a] and fr[b] for a, b in pairs]
        n_freq = sum(freq_pairs)
        if n_freq:
            out["flu_unseen_frequent_bigram_share"] = float(
                sum(1 for k, s in zip(freq_pairs, seen, strict=False) if k and not s) / n_freq
            )
    return out
