"""The name family's settings (``[settings.name]`` in the configuration; :mod:`detector.settings`).

Cost guards that keep the family linear in input size (``tokens.MAX_NAME_TOKEN``,
``nam002.MAX_NAME_GROUP``, ``analysis.MAX_RUN_TOKENS``) are limits, not detection thresholds, and
stay module constants.
"""

from __future__ import annotations

from dataclasses import dataclass

from ... import settings
from .tokens import FAMILY


@settings.register(FAMILY)
@dataclass(frozen=True, slots=True)
class NameSettings:
    """Knobs of the name family; the defaults were tuned on injected misspellings in the BBC train
    split and checked for false findings on clean modern news (docs/measurements.md)."""

    max_surname_people: int = settings.knob(
        3, "NAM001, first names differ: at most this many known people may share the surname"
    )
    max_first_people_known_surname: int = settings.knob(
        8, "NAM001, surnames differ: the first name must be this rare when the observed surname is itself a known surname"
    )
    max_first_people_unknown: int = settings.knob(
        40, "NAM001, surnames differ: ... and at most this rare when the observed surname is not a known surname"
    )
    max_slip_first_people: int = settings.knob(
        2, "NAM001 slips: an observed first name shared by at most this many known people is 'no name'"
    )
    max_slip_last_people: int = settings.knob(
        1, "NAM001 slips: an observed surname shared by at most this many known people is 'no name'"
    )
    slip_prominence: int = settings.knob(
        5, "NAM001: a one-letter slip in the name of a person this prominent (gazetteer.PROMINENT) is flagged whatever the other token"
    )
    min_slip_sentence_start: int = settings.knob(
        6, "NAM002: a lone surname slip at the start of a sentence (no title before it) needs this many letters"
    )
    batch_min_docs: int = settings.knob(
        2, "NAM003: the majority spelling must be in at least this many articles of the batch"
    )
    batch_ratio: float = settings.knob(
        1.5, "NAM003: ... and in this many times as many articles as the minority spelling"
    )
    batch_strong_docs: int = settings.knob(
        3, "NAM003 when both spellings are real names (known first names / surnames): stronger evidence, this many articles"
    )
    batch_strong_ratio: float = settings.knob(4.0, "NAM003 when both spellings are real names: this ratio")
    max_unknown_uses: int = settings.knob(
        2, "NAM004/NAM006: a word used more often than this in the article is deliberate, not a slip"
    )
    min_variant_uses: int = settings.knob(
        2, "NAM004: another spelling in the same article must be used at least this often (and more often)"
    )
    min_variant_docs: int = settings.knob(
        2, "NAM004: ... or in at least this many other articles of the batch, none of which uses the unknown spelling"
    )
    min_common_given: int = settings.knob(
        25, "NAM005: a common given name is one shared by at least this many known people (or in COMMON_FIRST)"
    )
    min_slip_target_logp: float = settings.knob(
        -14.0, "NAM006: a known word or name has at least this natural-log unigram probability in the general-English LM (about 1 in 1.2 million words)"
    )
    min_typing_slip_len: int = settings.knob(
        5, "NAM004: a word this long may be any one-letter slip of a known word; a shorter one only two swapped letters"
    )
