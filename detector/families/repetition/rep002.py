"""REP002: a phrase that recurs within one sentence, or a sentence repeated in the next one or
two (a loop), judged by the shape around it (see :mod:`detector.families.repetition`)."""

from __future__ import annotations

import itertools
from collections import Counter

from ... import settings
from ...text import Document
from .knobs import RepetitionSettings
from .vocab import (
    _CLAUSE_PUNCT_BEFORE_RE,
    _CLOSE_AFTER_RE,
    _CONJ_AFTER_RE,
    _DIGIT_RE,
    _HSPACE_RE,
    _I_FORMS,
    _LOOP_SEP_RE,
    _OPEN_BEFORE_RE,
    _PLAIN_GAP_RE,
    _PUNCT_AFTER_RE,
    _S_CONTRACTIONS,
    ARTICLES,
    CLAUSE_LINKS,
    COORD,
    DANGLING,
    DEFINING_VERBS,
    IDIOM_LINKS,
    IDIOM_WORDS,
    OPENERS,
    STOPWORDS,
)


def _doc_sentence_index(doc: Document) -> list[int]:
    """The sentence of each word of ``doc`` (:func:`_sentence_index`): read off
    :attr:`Document.sentence_words` when those lists hold every word (they are consecutive
    slices of the words, so they then split them in order, each word in its sentence)."""
    per = doc.sentence_words
    if sum(map(len, per)) == len(doc.words):
        return list(itertools.chain.from_iterable(itertools.repeat(k, len(ws)) for k, ws in enumerate(per)))
    return _sentence_index(doc.words, doc.sentences)


def _sentence_index(words: list[tuple[int, int]], sentences: list[tuple[int, int]]) -> list[int]:
    """The sentence of each word: the first sentence that ends after the word starts."""
    out = []
    k = 0
    last = len(sentences) - 1
    for s, _ in words:
        while k < last and sentences[k][1] <= s:
            k += 1
        out.append(k)
    return out


def _is_idiom(toks: list[str], i: int) -> bool:
    """Immediate bigram repeat "A B A B": is it a reduplication idiom rather than a loop?"""
    a, b = toks[i], toks[i + 1]
    if a in COORD or b in COORD:  # "stronger and stronger and", "time and time and time again"
        return True
    if b in IDIOM_LINKS and a in IDIOM_WORDS:  # "back to back to"
        return True
    if a in IDIOM_LINKS and b in IDIOM_WORDS:  # "to back to back"
        return True
    return False


def _is_content(text: str, words: list[tuple[int, int]], toks: list[str], k: int) -> bool:
    t = toks[k]
    if _DIGIT_RE.search(t):
        return False
    if t not in STOPWORDS:
        return True
    w = text[words[k][0] : words[k][1]]
    return len(w) >= 2 and w.isupper()  # "US", "IT": an acronym, not the pronoun


def _immediate_ok(text: str, words, toks: list[str], i: int, j: int, n: int, ncontent: int) -> bool:
    """Copies at i and j = i + n, nothing but spaces or one comma/semicolon between them."""
    e1, s2 = words[j - 1][1], words[j][0]
    between = text[e1:s2].strip()
    if "(" in between or ")" in between:
        return False
    if n == 2 and between not in ("", ",", ";"):
        return False
    phrase = toks[j : j + n]
    if len(set(phrase)) == 1:
        return False  # "no no no no", "very, very, very": a chain of one word (REP001's business)
    # both copies must read the same, inner punctuation included ("what it is, not what it is not")
    for m in range(n - 1):
        if (
            text[words[i + m][1] : words[i + m + 1][0]].strip()
            != text[words[j + m][1] : words[j + m + 1][0]].strip()
        ):
            return False
    if n >= 3:
        return True
    if _is_idiom(toks, i):
        return False  # "stronger and stronger", "back to back"
    if not between:
        if toks[i] in ARTICLES and i > 0 and toks[i - 1] in DEFINING_VERBS:
            return False  # "what makes a gadget a gadget"
        if (
            toks[i] in IDIOM_LINKS
            and ncontent
            and all(text[words[k][0]].isupper() for k in range(j, j + n) if toks[k] not in STOPWORDS)
        ):
            return False  # "for Measure for Measure": a title of the form "X for X"
    return True


def _clause_start(text: str, words, toks: list[str], sidx: list[int], i: int) -> bool:
    if i == 0 or sidx[i - 1] != sidx[i] or toks[i - 1] in CLAUSE_LINKS:
        return True
    return bool(_CLAUSE_PUNCT_BEFORE_RE.search(text, max(0, words[i][0] - 3), words[i][0]))


def _loop_ok(
    text: str, words, toks: list[str], sidx: list[int], i: int, j: int, n: int, ncontent: int
) -> bool:
    """A phrase spliced back into running text a few words later: "P Q, P ..." in one sentence.

    Parallel clauses and lists have the same shape ("the president of France, the president of
    Germany"; "I love X, I love Y"), so it takes evidence that the text is broken: the first
    copy does not open a clause, the comma cuts a phrase ("revised down the, said it had"), the
    repeat is left hanging before punctuation, or a long repeat of several content words.
    """
    e1, s2 = words[i + n - 1][1], words[j][0]
    q_end = words[j - 1][1]
    if not _PLAIN_GAP_RE.fullmatch(text, e1, q_end) or not _LOOP_SEP_RE.fullmatch(text, q_end, s2):
        return False
    if n < 3 and not ncontent:
        return False
    if toks[i] in COORD:
        return False  # "how useful and how powerful ..., and how bands": coordination
    q = toks[j - 1]
    dangling = q in DANGLING or (q.endswith("'s") and q not in _S_CONTRACTIONS)
    hanging = bool(_PUNCT_AFTER_RE.match(text, words[j + n - 1][1]))
    if (
        (i == 0 or sidx[i - 1] != sidx[i])
        and text[s2].isupper()
        and text[words[i][0]].isupper()
        and toks[i] not in _I_FORMS
        and n >= 3
    ):
        # the opening of the sentence comes back mid-sentence with its capital ("Critics of the
        # plan, Critics of the ..."): the copy was spliced in, not written as a parallel clause
        return True
    content_words = [k for k in range(j, j + n) if _is_content(text, words, toks, k)]
    if (
        content_words
        and all(text[words[k][0]].isupper() for k in content_words)
        and not (dangling or hanging)
    ):
        return False  # names and titles listed ("Carry On at your Convenience, Carry On Matron")
    if not _clause_start(text, words, toks, sidx, i):
        if dangling or hanging:
            return True
        if ncontent >= 2 or toks[i] not in OPENERS:
            return not _parallel(text, words, toks, sidx, j, n, j - (i + n))
        return False
    return hanging or (dangling and toks[i] not in OPENERS)


def _parallel(text: str, words, toks: list[str], sidx: list[int], j: int, n: int, qlen: int) -> bool:
    """After "P Q, P": does a completion as long as Q follow and then a further list item
    ("good for consumers, good for communities and ...")? A loop instead runs on into the
    sentence."""
    m = j + n
    end = len(toks)
    r = 0
    while m < end and sidx[m] == sidx[j] and r <= qlen + 1:
        if r and (toks[m] in COORD or not _HSPACE_RE.fullmatch(text, words[m - 1][1], words[m][0])):
            break
        m += 1
        r += 1
    if r != qlen or m >= end or sidx[m] != sidx[j]:
        return False
    return toks[m] in COORD or text[words[m - 1][1] : words[m][0]].strip()[:1] in (",", ";")


def _phrase_repeats(doc: Document, toks: list[str]) -> list[tuple[int, int, int, int]]:
    """Return (first_start_tok, second_start_tok, n, sentence_distance) for accepted repeats.

    Candidates come from a hash of word bigrams -> last position (linear in words); each is
    extended to the longest common run and judged by the shape around it.
    """
    cfg = settings.get(RepetitionSettings)
    text = doc.text
    words = doc.words
    ntok = len(toks)
    if ntok < 4:
        return []
    sidx = _doc_sentence_index(doc)
    sent_len = Counter(sidx)  # words per sentence
    last: dict[tuple[str, str], int] = {}
    accepted: list[tuple[int, int, int, int]] = []
    covered = 0
    for j in range(ntok - 1):
        key = (toks[j], toks[j + 1])
        i = last.get(key)
        last[key] = j
        if i is None or j < covered or i + 2 > j:
            continue
        ds = sidx[j] - sidx[i]
        if ds > cfg.max_sentence_distance:
            continue
        if sidx[i + 1] != sidx[i] or sidx[j + 1] != sidx[j]:
            continue
        n = 2
        while (
            j + n < ntok
            and i + n < j
            and toks[i + n] == toks[j + n]
            and sidx[i + n] == sidx[i]
            and sidx[j + n] == sidx[j]
        ):
            n += 1
        ncontent = sum(1 for k in range(j, j + n) if _is_content(text, words, toks, k))
        gap = j - (i + n)
        e1 = words[i + n - 1][1]
        s2, e2 = words[j][0], words[j + n - 1][1]
        ok = False
        if ds == 0:
            if gap == 0:
                # immediate repeat: "to fall to fall", "70 km from the city, 70 km from the city"
                ok = _immediate_ok(text, words, toks, i, j, n, ncontent)
            if not ok and ncontent and gap <= cfg.max_gap:
                # a list item repeated: "their intentions, their strategy, their intentions,"
                if (
                    _CLOSE_AFTER_RE.match(text, e1)
                    and (_CLOSE_AFTER_RE.match(text, e2) or _CONJ_AFTER_RE.match(text, e2))
                    and _OPEN_BEFORE_RE.search(text, max(0, s2 - 4), s2)
                    and "(" not in text[e1:s2]
                    and ")" not in text[e1:s2]
                ):
                    ok = True
            if not ok and 1 <= gap <= cfg.max_loop_gap:
                # a loop spliced into running text: "not guilty to fraud and theft, guilty to fraud."
                ok = _loop_ok(text, words, toks, sidx, i, j, n, ncontent)
        elif ncontent:
            # a sentence (or nearly all of one) repeated in the next one or two sentences of the
            # same line; rhetorical anaphora ("We needed to cut X. We needed to cut Y") repeats
            # only the opening, so both sentences must be mostly the repeat
            longer = max(sent_len[sidx[i]], sent_len[sidx[j]])
            starts_sentence = sidx[j - 1] != sidx[j]
            ok = (
                starts_sentence and n >= 4 and ncontent >= 2 and n >= 0.8 * longer and "\n" not in text[e1:s2]
            )
        if not ok and ncontent and accepted and accepted[-1][1] == i and accepted[-1][2] == n and ds == 0:
            ok = gap <= cfg.max_gap  # the chain goes on: "the storm, the storm, the storm"
        if ok:
            accepted.append((i, j, n, ds))
            covered = j + n
    return accepted
