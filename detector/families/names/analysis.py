"""One article's name mentions and per-article findings (NAM001, NAM002, NAM005, NAM006).

:func:`analyse` finds the runs of capitalised words, the NAM001 near misses among their
windows, and the person-name mentions (known spellings, else a first name and the next word)
that NAM002 and the batch check (:mod:`.nam003`) compare; then runs the per-article rules in
report order. Cached per :class:`~detector.text.Document`, so :func:`detect` and the batch
check share the work.
"""

from __future__ import annotations

import weakref

from ... import gazetteer as gz
from ...findings import Finding
from ...text import Document, as_document
from .lookups import _is_given_name, _is_known, _memo
from .nam001 import _may_near, near_miss
from .nam002 import _full_name_slips, _nam002, _surname_slips
from .nam005 import _given_name_slips
from .nam006 import _typing_slips
from .tokens import (
    _MAX_CORE,
    FAMILY,
    RUN_RE,
    STOP,
    Analysis,
    Mention,
    Tok,
    _core,
    _core_t,
    _form_token,
    _replace,
    _split_runs,
    _tokens,
    _windows,
)

# Performance cap, the per-article budget of the name checks: the runs of capitalised words
# (where a full name can be) are examined up to this many tokens in all, the rest of a longer
# text is skipped. Each token costs ~40 microseconds (windows, gazetteer look-ups); ordinary news
# has ~14,000 such tokens per MB (69,297 in 5 MB of BBC copy), so only texts of ~10 MB of news, or
# ~1 MB of nothing but capitalised words, reach it. Keeps the family within ~7 s per article.
MAX_RUN_TOKENS = 150_000


def _is_first_token(g: gz.Gazetteer, t: Tok, text: str) -> bool:
    """Can this token start a person's name? A known first name, or any capitalised word of 3+
    letters that does not start a sentence or line."""
    if t.particle or not t.keys:
        return False
    k = t.keys[0]
    if k in STOP or len(k) < 2 or t.text.isupper() and len(t.text) > 1 and "." not in t.text:
        return False
    if _is_given_name(g, k):
        return True
    if len(k) < 3 or not t.text[:1].isupper():
        return False
    j = t.start - 1
    while j >= 0 and text[j] in " \t\u00a0":
        j -= 1
    return j >= 0 and text[j] not in ".!?\n\"“”'‘’:;(-–—•*"


def analyse(text_or_doc: str | Document) -> Analysis:
    """Name mentions and NAM001/NAM002 findings of one article (cached per Document, so
    :func:`detect` and :func:`detect_batch` share the work)."""
    doc = as_document(text_or_doc)
    if not isinstance(text_or_doc, Document):
        return _analyse(doc.text)
    cached = _cache.get(doc)
    if cached is not None and cached[0] is gz.current():
        return cached[1]
    res = _analyse(doc.text)
    _cache[doc] = (gz.current(), res)
    return res


_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _analyse(text: str) -> Analysis:
    res = Analysis()
    runs = list(RUN_RE.finditer(text))
    if not runs:
        return res
    g = gz.get()
    budget = MAX_RUN_TOKENS
    for toks in (r for run in runs for r in _split_runs(_tokens(text, run.start(), run.end()))):
        budget -= len(toks)
        if budget < 0:
            break  # the per-article budget of the name checks (see MAX_RUN_TOKENS)
        taken = [False] * len(toks)
        # NAM001 near misses, leftmost start first
        for i, j in _windows(toks) if _may_near(g, toks) else ():
            if any(taken[i:j]):
                continue
            core = _core_t(toks[i:j])
            if len(core) < 2:
                continue
            nm = _memo(g, "nm", core, lambda c: near_miss(g, list(c)))
            if nm is None:
                continue
            if nm.which == "first" and toks[i].keys and gz.first_canon(toks[i].keys[0]) != core[0]:
                continue
            m = Mention(toks[i].start, toks[j - 1].end, toks[i:j], tuple(core), known=False, flagged=True)
            res.mentions.append(m)
            for k in range(i, j):
                taken[k] = True
            obs = text[m.start : m.end]
            sugg = _replace(m, nm.which, _form_token(nm.form, nm.which))
            canonical = g.persons[nm.pid][0]
            res.findings.append(
                Finding(
                    FAMILY,
                    "NAM001",
                    m.start,
                    m.end,
                    f"'{obs}' looks like a misspelling of {canonical}",
                    suggestion=sugg,
                )
            )
        # person-name mentions for NAM002/NAM003: known spellings, else the run from a first name
        i = 0
        while i < len(toks):
            if taken[i] or not _is_first_token(g, toks[i], text):
                i += 1
                continue
            found = None
            for j in range(min(len(toks), i + _MAX_CORE + 2), i + 1, -1):
                if toks[j - 1].particle or any(taken[i:j]):
                    continue
                core = _core_t(toks[i:j])
                if 2 <= len(core) <= _MAX_CORE and (
                    _is_known(g, " ".join(core)) or _is_known(g, f"{core[0]} {core[-1]}")
                ):
                    found = (j, list(core), True)
                    break
            if found is None:
                # unknown name: the first name and the next word (particles between)
                j = i + 1
                while j < len(toks) and toks[j].particle:
                    j += 1
                if j < len(toks) and not any(taken[i : j + 1]):
                    core = _core(toks[i : j + 1])
                    if len(core) == 2:
                        found = (j + 1, core, False)
            if found is None:
                i += 1
                continue
            j, core, known = found
            res.mentions.append(Mention(toks[i].start, toks[j - 1].end, toks[i:j], tuple(core), known))
            for k in range(i, j):
                taken[k] = True
            i = j
    res.mentions.sort(key=lambda m: m.start)
    _nam002(g, text, res)
    _surname_slips(g, text, res)
    _full_name_slips(g, text, res)
    _given_name_slips(g, res, text)
    _typing_slips(text, res)
    return res
