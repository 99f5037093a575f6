"""Reasons for a score: exact per-feature contributions of the model, in words.

Every trained scorer here is a sum in log-odds space. For gradient-boosted trees the sum runs
over trees, and each tree's output is split along its decision path (Saabas decomposition:
at every split the change in the count-weighted mean leaf value goes to the split feature); the
default models are *additive* (``interaction_cst="no_interactions"``: every tree splits on one
feature), so a feature's part is exactly its own shape function. For logistic regression a
feature's part is ``coef * (scaled value)``. Either way

    log-odds(reliable | article) = bias + sum_j part_j(article)

holds exactly, and the sigmoid calibration (``p = 1 / (1 + exp(a f + b))``) and the prior shift
are affine in log-odds, so they only rescale the parts.

A reason compares the article with a *typical clean article*: the vector of per-feature medians
over the clean training rows (stored in the model as ``typical``). ``effect_j = part_j(article) -
part_j(typical)``; the effects sum to ``log-odds(article) - log-odds(typical)``. A typical clean
article scores above the ``ok`` cut, so an article scored below it has negative effects summing
to at least the gap: a flagged article always has at least one reason.

Messages name the article's value and the typical value in the units a person reads
("41 % of sentences read like machine translation; clean copy: 9 %").
"""

from __future__ import annotations

from collections.abc import Sequence

from .findings import CODES, FAMILIES
from .scoring import Reason

# reasons whose effect is smaller than this (log-odds) are not shown (unless needed, see below)
MIN_EFFECT = 0.15
MAX_REASONS = 4

# stat key -> (how to say it, unit): unit "%" multiplies shares by 100
STAT_WORDS: dict[str, tuple[str, str]] = {
    "flu_mt_share": ("sentences that read like machine translation", "%"),
    "flu_mt_mean_logit": ("mean machine-translation score of the sentences (MT sentence model)", ""),
    "flu_lm_cond_mean": ("mean word-sequence log-probability under a general-English language model", ""),
    "flu_lm_assoc_mean": ("mean word-pair association under a general-English language model", ""),
    "flu_lm_odd_share": ("word pairs a general-English language model finds unusual", "%"),
    "flu_unseen_bigram_share": ("word pairs never seen in the 2004-05 reference news", "%"),
    "flu_unseen_known_bigram_share": ("pairs of known words never seen together in the reference news", "%"),
    "flu_unseen_frequent_bigram_share": ("pairs of frequent words never seen together in the reference news", "%"),
    "flu_oov_share": ("words unknown to the reference news vocabulary", "%"),
    "flu_broad_oov_share": ("lower-case words that are in no broad English word list (wordfreq)", "%"),
    "flu_tortured_per1000w": ("tortured phrases per 1,000 words", ""),
    "flu_swap_per1000w": ("word pairs that read like synonym swaps of common phrases, per 1,000 words", ""),
    "flu_swap_word_share": ("words in pairs that read like synonym swaps of common phrases", "%"),
    "flu_swap_spin_llr": (
        "spinner evidence: how much better, on average, thesaurus synonyms fit where the words stand "
        "(log-likelihood ratio per word, 0 = none)", ""),
    "flu_article_share": ("words that are articles (the, a, an)", "%"),
    "flu_ttr_window": ("distinct words per 100-word window", "%"),
    "flu_nonascii_word_share": ("lower-case words with non-English letters (untranslated words)", "%"),
    "flu_lower_sentence_start_share": ("sentences starting in lower case", "%"),
    "flu_space_before_punct_per1000w": ("spaces before punctuation per 1,000 words (tokenised text)", ""),
    "flu_sentence_length_cv": ("variation of sentence length (coefficient of variation)", ""),
    "flesch_reading_ease": ("Flesch reading ease", ""),
    "flesch_kincaid_grade": ("Flesch-Kincaid grade", ""),
    "gunning_fog": ("Gunning fog index", ""),
    "smog_index": ("SMOG index", ""),
    "coleman_liau_index": ("Coleman-Liau index", ""),
    "automated_readability_index": ("automated readability index", ""),
    "dale_chall_score": ("Dale-Chall score", ""),
    "words_per_sentence": ("words per sentence", ""),
    "syllables_per_word": ("syllables per word", ""),
    "letters_per_word": ("letters per word", ""),
    "polysyllable_share": ("words of three or more syllables", "%"),
    "difficult_word_share": ("words outside the Dale-Chall easy-word list", "%"),
    "dup_line_frac": ("lines that repeat another line", "%"),
    "dup_line_char_frac": ("characters in repeated lines", "%"),
    "dup_para_frac": ("paragraphs that repeat another paragraph", "%"),
    "dup_para_char_frac": ("characters in repeated paragraphs", "%"),
    "top_2gram_char_frac": ("characters in the most frequent word pair", "%"),
    "top_3gram_char_frac": ("characters in the most frequent three-word sequence", "%"),
    "top_4gram_char_frac": ("characters in the most frequent four-word sequence", "%"),
}
for _n in range(5, 11):
    STAT_WORDS[f"dup_{_n}gram_char_frac"] = (f"characters in repeated {_n}-word sequences", "%")



def _num(x: float, unit: str = "") -> str:
    if unit == "%":
        v = 100.0 * x
        return f"{v:.0f} %" if abs(v) >= 10 or v == 0 else f"{v:.1f} %"
    if x == int(x) and abs(x) < 1e6:
        return f"{int(x)}"
    return f"{x:.2f}" if abs(x) < 10 else f"{x:.1f}"


def describe(feature: str, value: float, typical: float | None) -> str:
    """A feature's value (and the typical clean value, when the model knows it) in plain words."""
    text = _describe(feature, value, 0.0 if typical is None else typical)
    return text.split("; clean copy")[0] if typical is None else text


def _describe(feature: str, value: float, t: float) -> str:
    kind, _, key = feature.partition(":")
    if kind == "fam":
        fam = key.removesuffix("_per1kw")
        what = f"{fam} findings per 1,000 words ({FAMILIES.get(fam, fam)})"
        return f"{_num(value)} {what}; clean copy: {_num(t)}"
    if kind == "code":
        code = key.removesuffix("_per1kw")
        desc = CODES.get(code, ("", code))[1]
        return f"{_num(value)} {code} per 1,000 words ({desc}); clean copy: {_num(t)}"
    if kind == "sev":
        sev = key.removesuffix("_per1kw")
        return f"{_num(value)} {sev}-level findings per 1,000 words; clean copy: {_num(t)}"
    if kind == "any":
        has = "has" if value else "has no"
        return f"{has} {key} findings; clean copy usually {'has' if t else 'has none'}"
    if kind == "count":
        if key == "text_families":
            return (f"findings of {_num(value)} kind(s) of wording problem (repetition, names, broken "
                    f"sentences, fluency); clean copy: {_num(t)}")
        if key == "boilerplate":
            return f"{_num(value)} page-furniture findings; clean copy: {_num(t)}"
        return f"{key}: {_num(value)}; clean copy: {_num(t)}"
    if kind == "frac":
        what = {"duplicate-block": "of the text repeats other text in the article",
                "boilerplate": "of the text is page furniture or inserted material",
                "repetition": "of the text is in repeated words or phrase loops"}.get(key, f"covered by {key}")
        return f"{_num(value, '%')} {what}; clean copy: {_num(t, '%')}"
    if kind == "stat":
        words, unit = STAT_WORDS.get(key, (key, ""))
        return f"{words}: {_num(value, unit)}; clean copy: {_num(t, unit)}"
    if kind == "lt":
        return f"LanguageTool {key.lower().replace('_', ' ')} matches per 100 words: {_num(value)}; clean copy: {_num(t)}"
    return f"{feature}: {_num(value)}; clean copy: {_num(t)}"


# Features that measure one cause. A reason stands for its group: its effect is the sum of the
# group's effects (so the shown effects still add up exactly) and its words are those of the
# member that moved the score most. Without this, "repeated 9-word sequences: 46 %" and "repeated
# 8-word sequences: 46 %" would be two reasons for one pasted paragraph.
_GROUP_PREFIXES = (
    ("repeated text", ("frac:duplicate-block", "stat:dup_", "code:DUP")),
    ("repetition", ("frac:repetition", "fam:repetition", "code:REP", "stat:top_")),
    ("page furniture", ("count:boilerplate", "frac:boilerplate", "fam:boilerplate", "code:BOI")),
    ("names", ("fam:name", "code:NAM")),
    ("broken sentences", ("fam:broken-sentence", "code:BRK")),
    ("language model", ("stat:flu_lm_", "code:FLU003")),
    ("machine translation", ("stat:flu_mt_", "code:FLU002")),
    ("tortured phrases", ("stat:flu_tortured", "code:FLU001")),
    ("synonym swaps", ("stat:flu_swap_", "code:FLU004")),
)


# Which side of the typical clean value is the damaged side: +1 higher is worse, -1 lower is
# worse. Finding-derived features (fam:, code:, sev:, any:, count:, frac:, lt:) are +1 by
# construction (monotonic constraints). A tree model with interactions can still give a value on
# the clean side a negative part (it belongs to the combination, not to the value); such a value
# is never shown as a reason against the article.
_HIGHER_IS_WORSE = ("fam:", "code:", "sev:", "any:", "count:", "frac:", "lt:", "stat:dup_", "stat:top_",
                    "stat:flu_mt_", "stat:flu_lm_odd_share", "stat:flu_broad_oov_share",
                    "stat:flu_tortured", "stat:flu_swap_", "stat:flu_nonascii", "stat:flu_lower_sentence_start",
                    "stat:flu_space_before_punct")
_LOWER_IS_WORSE = ("stat:flu_lm_assoc_mean", "stat:flu_lm_cond_mean")


def damaged_side(feature: str) -> int:
    """+1 when a higher value is the damaged side, -1 when a lower one is, 0 when unknown."""
    if feature.startswith(_HIGHER_IS_WORSE):
        return 1
    if feature.startswith(_LOWER_IS_WORSE):
        return -1
    return 0


def reason_group(feature: str) -> str:
    """The cause a feature measures (its own name when it shares it with no other feature)."""
    for group, prefixes in _GROUP_PREFIXES:
        if feature.startswith(prefixes):
            return group
    return feature


def pick_reasons(
    names: Sequence[str],
    values: Sequence[float],
    typical: Sequence[float] | None,
    effects: Sequence[float],
    *,
    flagged: bool,
    max_reasons: int = MAX_REASONS,
    min_effect: float = MIN_EFFECT,
    alone: Sequence[float] | None = None,
) -> list[Reason]:
    """The contributions that moved one article's score most, most negative first.

    Features are first summed by cause (:func:`reason_group`). Shown: causes whose effect is at
    least ``min_effect`` in size (both directions), up to ``max_reasons``. A flagged article always
    gets its most negative contributions, whatever their size.

    A feature whose value equals the typical clean value is not shown: in an additive model its
    effect is exactly 0; in a tree model with interactions its nonzero part is the effect of
    *other* features on the path, and "0 findings; clean copy: 0" is no reason to a reader.
    For the same reason, with ``alone`` (per feature: the change of the log-odds when that feature
    alone is set back to its typical value, negated — negative when the article's value by itself
    lowers the score), a cause is said to lower (raise) the score only through a member whose value
    lowers (raises) it by itself: "16 % MT-like sentences; clean copy: 32 %" is never a reason
    against an article. If that leaves a flagged article with no lowering reason, the exact parts
    alone decide."""
    idx = list(range(len(effects)))
    if typical is not None:
        differs = [j for j in idx if abs(float(values[j]) - float(typical[j])) > 1e-12]
        if not flagged or any(effects[j] < 0 for j in differs):
            idx = differs
    groups: dict[str, list[int]] = {}
    for j in idx:
        groups.setdefault(reason_group(str(names[j])), []).append(j)
    # one candidate per cause: (summed effect, the member that moved the score most that way)
    def _plausible(j: int, sign: float) -> bool:
        """Would a reader accept feature j's value as pushing the score this way?"""
        if alone is not None and sign * float(alone[j]) <= 0:
            return False
        side = damaged_side(str(names[j]))
        if side and typical is not None:
            diff = float(values[j]) - float(typical[j])
            return (side * diff > 0) == (sign < 0)
        return True

    def candidates(check: bool) -> list[tuple[float, int]]:
        out = []
        for members in groups.values():
            total = float(sum(effects[j] for j in members))
            sign = -1.0 if total < 0 else 1.0
            ok = [j for j in members if not check or _plausible(j, sign)]
            if ok:
                out.append((total, max(ok, key=lambda j: sign * effects[j])))
        return sorted(out, key=lambda c: c[0])

    order = candidates(True)
    if flagged and not any(c[0] < 0 for c in order):
        order = candidates(False)
    chosen = [c for c in order if abs(c[0]) >= min_effect]
    chosen.sort(key=lambda c: (c[0] >= 0, -abs(c[0])))
    chosen = chosen[:max_reasons]
    if flagged and not any(c[0] < 0 for c in chosen):
        neg = [c for c in order if c[0] < 0][:2]
        chosen = (neg + chosen)[:max_reasons]
    out = []
    for total, j in chosen:
        t = None if typical is None else float(typical[j])
        v = float(values[j])
        out.append(Reason(feature=str(names[j]), message=describe(str(names[j]), v, t), value=v, typical=t,
                          effect=total))
    return out
