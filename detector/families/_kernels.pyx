# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=False, initializedcheck=False
"""Compiled per-word loops of the fluency family: :func:`spin_llr` (the spinning ratio of
:mod:`detector.families.spin`) and :func:`lm_transitions` (of
:mod:`detector.families.fluency_lm`).

Optional: built from this file by ``pip install`` when a C compiler is present (Cython is a build
requirement), skipped otherwise. The pure-Python functions in those modules are the reference;
these do the same arithmetic in the same order on C doubles (``prob() * ln``, sums left to right,
``log``/``exp`` of the C library, which Python's :mod:`math` calls too), so the results are the
same floats, bit for bit: ``tests/test_kernels.py`` compares the two paths. The memos are the
same Python objects, called through the C API; the language model is this module's copy, which
the Python code reads through :func:`prob` too when the kernel is built. What the compiled loops
save is the interpreter's work per word.
"""

from libc.math cimport exp, log


# -- the language model, through pocketsphinx's C API ----------------------------------------
# The same calls as ``NGramModel.readfile(path)`` and ``NGramModel.prob(words)`` (which is
# ``ngram_prob``: the word ids of the words, then ``ngram_ng_prob``), on a model this module
# opens itself, by word id: no list, no UTF-8 encoding and no string hashing per look-up. The
# functions are pocketsphinx's exported symbols, whose addresses :mod:`.kernels` takes with
# ctypes from the loaded ``pocketsphinx._pocketsphinx`` (pinned version).
ctypedef void* (*logmath_init_f)(double, int, int) noexcept nogil
ctypedef void* (*model_read_f)(void*, const char*, int, void*) noexcept nogil
ctypedef int (*logmath_free_f)(void*) noexcept nogil
ctypedef int (*wid_f)(void*, const char*) noexcept nogil
ctypedef int (*ng_prob_f)(void*, int, int*, int, int*) noexcept nogil

cdef void* _model = NULL
cdef wid_f _wid = NULL
cdef ng_prob_f _ng_prob = NULL
cdef dict _wids = {}
cdef Py_ssize_t _WIDS_CAP = 1 << 18


def open_lm(str path, size_t logmath_init, size_t model_read, size_t logmath_free, size_t wid,
            size_t ng_prob):
    """Open the model at ``path`` as ``NGramModel.readfile`` does (log base 1.0001); the other
    arguments are the addresses of pocketsphinx's functions of those names."""
    global _model, _wid, _ng_prob
    if _model != NULL:
        return
    cdef bytes b = path.encode("utf-8")
    cdef void* lmath = (<logmath_init_f>logmath_init)(1.0001, 0, 0)
    cdef void* model = (<model_read_f>model_read)(NULL, b, 0, lmath)  # 0: NGRAM_AUTO
    (<logmath_free_f>logmath_free)(lmath)
    if model == NULL:
        raise ValueError("Unable to read language model from %s" % path)
    _wid = <wid_f>wid
    _ng_prob = <ng_prob_f>ng_prob
    _model = model


cdef inline int _wid_of(str w) except? -3:
    cdef object v = _wids.get(w)
    cdef int i
    if v is None:
        if len(_wids) > _WIDS_CAP:
            _wids.clear()
        i = _wid(_model, w.encode("utf-8"))
        _wids[w] = i
        return i
    return <int>v


def wid(str w):
    """pocketsphinx's word id of ``w`` (-1: not in the vocabulary)."""
    return _wid_of(w)


cdef inline double _p1(int w, int h1, double ln) noexcept:
    # prob([w, h1]) * ln
    cdef int hist[2]
    cdef int used
    hist[0] = h1
    return <double>_ng_prob(_model, w, hist, 1, &used) * ln


cdef inline double _p2(int w, int h1, int h2, double ln) noexcept:
    # prob([w, h1, h2]) * ln
    cdef int hist[2]
    cdef int used
    hist[0] = h1
    hist[1] = h2
    return <double>_ng_prob(_model, w, hist, 2, &used) * ln


def prob(list words):
    """``NGramModel.prob(words)`` on this module's model (one to three words)."""
    cdef int hist[2]
    cdef int used
    cdef Py_ssize_t n = len(words), i
    if not 1 <= n <= 3:
        raise ValueError("one to three words")
    for i in range(1, n):
        hist[i - 1] = _wid_of(words[i])
    return _ng_prob(_model, _wid_of(words[0]), hist, n - 1, &used)


cdef object _MISSING = object()


cdef inline double _lse(list vals):
    # top + log(sum(exp(v - top))): the pure-Python _lse, summing left to right from 0
    cdef double top, s = 0.0, v
    cdef Py_ssize_t i, n = len(vals)
    top = <double>vals[0]
    for i in range(1, n):
        v = <double>vals[i]
        if v > top:
            top = v
    for i in range(n):
        s += exp(<double>vals[i] - top)
    return top + log(s)


cdef inline double _word_llr(double lr, double keep, double prior):
    if lr > 50.0:
        lr = 50.0
    return log(keep + prior * exp(lr))


cdef inline bint _greater(double s1, str o1, double q1, double s2, str o2, double q2):
    # (s1, o1, q1) > (s2, o2, q2) as Python compares tuples
    if s1 != s2:
        return s1 > s2
    if o1 != o2:
        return o1 > o2
    return q1 > q2


def spin_llr(str t, list sentence_words, dict table, dict memo, Py_ssize_t memo_cap, word_info,
             compound_candidates, uni, double ln, double keep, double log_keep, double prior,
             double oov_floor, Py_ssize_t top_trigram):
    """``(total, n)``: the sum of the eligible words' contributions and their number, as the
    pure-Python loop of :func:`detector.families.spin._spin_sum_python` computes them (with
    ``prob`` the model :func:`open_lm` opened). ``memo`` maps a word as written to
    ``word_info(word)`` = ``(lower-cased, known to the LM, candidates or (), unigram of the word
    as written or None, is lower-case)`` followed by the word ids of the lower-cased word, of the
    word as written and of the candidates; emptied past ``memo_cap`` entries."""
    cdef double total = 0.0, left, right, seen, uw, c, q, sc, b1s = 0.0, b2s = 0.0, b1q = 0.0, b2q = 0.0
    cdef Py_ssize_t n = 0, i, m, k, a, b, nb, j
    cdef list spans, infos, kw, vals
    cdef tuple info, cands, cwids, cand
    cdef object w, got, key, o, b1o = None, b2o = None
    cdef str lw, rw
    cdef int wl1, wr1, wl2, wr2, ww, wo, wa, wb, b1w = -1, b2w = -1
    if _model == NULL:
        raise RuntimeError("open_lm() first")
    if not 1 <= top_trigram <= 2:
        raise ValueError("the compiled spinning ratio keeps one or two candidates")
    for spans in sentence_words:
        m = len(spans)
        infos = [None] * m
        kw = [None] * m  # word id of the lower-cased word when the LM knows it, else -2
        for k in range(m):
            a, b = spans[k]
            w = t[a:b]
            got = memo.get(w, _MISSING)
            if got is _MISSING:
                if len(memo) > memo_cap:
                    memo.clear()
                got = word_info(w)
                got = got + (_wid_of(got[0]), _wid_of(w), tuple([_wid_of(x[0]) for x in got[2]]))
                memo[w] = got
            infos[k] = got
            kw[k] = (<tuple>got)[5] if (<tuple>got)[1] else -2
        for i in range(m):
            info = <tuple>infos[i]
            cands = <tuple>info[2]
            if not cands:
                continue
            cwids = <tuple>info[7]
            if not info[1]:
                a, b = spans[i]
                if (<str>t[a:b]).isalpha():
                    n += 1
                    vals = [<double>uni(cand[0]) + <double>cand[1] for cand in cands]
                    total += _word_llr(_lse(vals) - oov_floor, keep, prior)
                continue
            wl1 = <int>kw[i - 1] if i >= 1 else -2
            wr1 = <int>kw[i + 1] if i + 1 < m else -2
            if wl1 == -2 and wr1 == -2:
                continue
            wl2 = <int>kw[i - 2] if wl1 != -2 and i >= 2 else -2
            wr2 = <int>kw[i + 2] if wr1 != -2 and i + 2 < m else -2
            ww = <int>info[6]
            n += 1
            uw = <double>info[3]
            if wl1 == -2:
                left = uw
                right = _p1(wr1, ww, ln)
                if right > <double>uni((<tuple>infos[i + 1])[0]):
                    total += log_keep
                    continue
            else:
                left = _p2(ww, wl1, wl2, ln) if wl2 != -2 else _p1(ww, wl1, ln)
                if wr1 == -2:
                    right = 0.0
                    if left > uw:
                        total += log_keep
                        continue
                else:
                    right = _p2(wr1, ww, wl1, ln)
                    if left > uw and right > <double>uni((<tuple>infos[i + 1])[0]):
                        total += log_keep
                        continue
            if wr2 != -2:
                seen = left + right + _p2(wr2, wr1, ww, ln)
            else:
                seen = left + right + 0.0
            # the TOP_TRIGRAM (<= 2) largest (score, o, q) of the bigram scores, as sort(reverse)
            nb = 0
            for j in range(len(cands)):
                cand = <tuple>cands[j]
                o = cand[0]
                q = <double>cand[1]
                wo = <int>cwids[j]
                if wl1 == -2:
                    sc = <double>uni(o) + _p1(wr1, wo, ln) + q
                elif wr1 == -2:
                    sc = _p1(wo, wl1, ln) + q
                else:
                    sc = _p1(wo, wl1, ln) + _p1(wr1, wo, ln) + q
                if nb == 0 or _greater(sc, <str>o, q, b1s, <str>b1o, b1q):
                    if nb >= 1:
                        b2s, b2o, b2q, b2w = b1s, b1o, b1q, b1w
                    b1s, b1o, b1q, b1w = sc, o, q, wo
                    nb += 1
                elif nb == 1 or _greater(sc, <str>o, q, b2s, <str>b2o, b2q):
                    b2s, b2o, b2q, b2w = sc, o, q, wo
                    nb += 1
            if nb > top_trigram:
                nb = top_trigram
            vals = []
            for k in range(nb):
                if k == 0:
                    o, q, wo = b1o, b1q, b1w
                else:
                    o, q, wo = b2o, b2q, b2w
                if wl1 == -2:
                    c = <double>uni(o) + _p1(wr1, wo, ln)
                else:
                    c = _p2(wo, wl1, wl2, ln) if wl2 != -2 else _p1(wo, wl1, ln)
                    if wr1 != -2:
                        c += _p2(wr1, wo, wl1, ln)
                if wr2 != -2:
                    c += _p2(wr2, wr1, wo, ln)
                vals.append(c + q)
            total += _word_llr(_lse(vals) - seen, keep, prior)
        # two-word thesaurus entries in place of a single word
        for i in range(m - 1):
            info = <tuple>infos[i]
            if not (info[1] and info[4]):
                continue
            info = <tuple>infos[i + 1]
            if not (info[1] and info[4]):
                continue
            lw = <str>(<tuple>infos[i])[0]
            rw = <str>info[0]
            key = lw + " " + rw
            if key not in table:
                continue
            cands = <tuple>compound_candidates(key)
            if not cands:
                continue
            wl1 = <int>kw[i - 1] if i >= 1 else -2
            wr1 = <int>kw[i + 2] if i + 2 < m else -2
            if wl1 == -2 and wr1 == -2:
                continue
            wa = <int>kw[i]
            wb = <int>kw[i + 1]
            n += 1
            if wl1 != -2:
                seen = _p1(wa, wl1, ln)
            else:
                seen = <double>uni(lw)
            seen = seen + _p1(wb, wa, ln)
            if wr1 != -2:
                seen = seen + _p2(wr1, wb, wa, ln)
            else:
                seen = seen + 0.0
            vals = []
            for cand in cands:
                o = cand[0]
                q = <double>cand[1]
                wo = _wid_of(<str>o)
                if wl1 != -2:
                    c = _p1(wo, wl1, ln)
                else:
                    c = <double>uni(o)
                if wr1 != -2:
                    c = c + _p1(wr1, wo, ln)
                else:
                    c = c + 0.0
                vals.append(c + q)
            total += _word_llr(_lse(vals) - seen, keep, prior)
    return total, n


def lm_transitions(str t, list sentences, finditer, lm_token, double ln):
    """The list :func:`detector.families.fluency_lm._lm_transitions_python` builds: ``(start,
    end, log P(w|h), log P(w|h) - log P(w))`` per in-vocabulary word with an in-vocabulary
    predecessor in its sentence (``prob`` the model :func:`open_lm` opened)."""
    cdef list out = []
    cdef Py_ssize_t s, e, h1_start, start, end
    cdef object m, tw
    cdef int w, h1, h2
    cdef double c, u
    if _model == NULL:
        raise RuntimeError("open_lm() first")
    for s, e in sentences:
        h1 = -2  # -2: no word in the history
        h2 = -2
        h1_start = 0
        for m in finditer(t, s, e):
            tw = lm_token(m[0])
            if tw is None:
                h1 = -2
                h2 = -2
                continue
            if (<tuple>tw)[1] is None:  # a comma: skipped, the history kept
                continue
            w = _wid_of(<str>(<tuple>tw)[0])
            u = <double>(<tuple>tw)[1]
            start, end = m.span()
            if h1 != -2:
                c = _p1(w, h1, ln) if h2 == -2 else _p2(w, h1, h2, ln)
                out.append((h1_start, end, c, c - u))
            h2 = h1
            h1 = w
            h1_start = start
    return out
