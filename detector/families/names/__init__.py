"""name family: misspelled or inconsistently spelled person names.

- NAM001 near miss of a known person's name ("Anthony Blinken" -> "Antony Blinken"): the
  observed full name is not a known spelling of anyone, one of its first/last tokens equals a
  target's and the other is one or two edits away (same initial letter), the match is
  unambiguous among *all* known spellings, and the name is unlikely to be some other person (the
  surname is rare when the first names differ; the first name is rare, or the observed surname
  unheard of, when the surnames differ). A *slip* in a prominent target's name
  (gazetteer prominence >= the `slip_prominence` setting) is flagged whatever the other token when the
  differing token is nobody's name in the shared lists ("Daid Cameron", "John Krery", "Gordon
  Brow", "Joe Bide"); a real name ("John Kerr", "Kamal Harris") is left alone.
- NAM002 two spellings of one name in one article ("Yoav Galant ... Yoav Gallant"): the known
  or majority spelling is suggested for the other. Also a lone surname that is nobody's name and
  one slip from the surname of someone named in full in the article ("Michael Heseltine ...
  Mr Hseeltine"), after a title, a first name, or before a reporting verb.
- NAM003 minority spelling across a batch (:func:`detect_batch`): a spelling used in at most
  two thirds as many articles as a similar person-name spelling seen in at least two (a quarter,
  and three articles, when both spellings are real names), and not itself a known spelling.
  Spans already flagged by NAM001/NAM002 are not flagged again.
- NAM005 a first name that is nobody's (gazetteer, language model, reference news) and two
  swapped or one doubled letter from a common given name ("Anyd Robinson" -> Andy).
- NAM006 a capitalised word no lexicon knows (language model, reference news), used at most
  twice, and one swapped, doubled or (7+ letters) dropped letter from a frequent word or name
  ("Capmbell", "Madird", "Hollwood"). NAM005/NAM006 need no gazetteer entry for the person: most
  people in the news are in none.

Attested variants (gazetteer lines, transliteration groups of first names, accents, hyphens,
particles, middle initials) are never flagged. The gazetteer is :mod:`detector.gazetteer`;
it is loaded on the first capitalised two-word sequence.

Layout (one module per rule, shared helpers beside them): :mod:`.tokens` (capitalised runs,
tokens, mentions, windows), :mod:`.lookups` (memoised gazetteer look-ups, spelling
similarity), :mod:`.analysis` (one article's mentions and per-article findings),
:mod:`.nam001`, :mod:`.nam002`, :mod:`.nam003` (the batch check: a mergeable
:class:`NameIndex`), :mod:`.nam004` (corroboration for LanguageTool's unknown words),
:mod:`.nam005`, :mod:`.nam006`. The lexicon look-ups come from :mod:`detector.families.lexicon`.
"""

from __future__ import annotations

from ... import gazetteer as gz
from ...findings import Finding
from ...text import Document
from .analysis import Analysis, analyse
from .lookups import similar, slip, slip_suffix, user_known
from .nam001 import NearMiss, near_miss
from .nam003 import NameIndex, batch_findings, batch_hint, batch_index, detect_batch, may_have_batch_findings
from .nam004 import (
    NAM004_NOTES_ENV,
    SpellingIndex,
    bare_word,
    batch_variant,
    capitalised_counts,
    nam004_notes_enabled,
    typing_slip,
    unknown_word_evidence,
)
from .tokens import FAMILY, MAX_NAME_TOKEN, Mention, Tok

set_user_gazetteer = gz.set_user_gazetteer

__all__ = [
    "FAMILY",
    "MAX_NAME_TOKEN",
    "NAM004_NOTES_ENV",
    "Analysis",
    "Mention",
    "NameIndex",
    "NearMiss",
    "SpellingIndex",
    "Tok",
    "analyse",
    "bare_word",
    "batch_findings",
    "batch_hint",
    "batch_index",
    "batch_variant",
    "capitalised_counts",
    "detect",
    "detect_batch",
    "may_have_batch_findings",
    "nam004_notes_enabled",
    "near_miss",
    "set_user_gazetteer",
    "similar",
    "slip",
    "slip_suffix",
    "typing_slip",
    "unknown_word_evidence",
    "user_known",
]


def detect(text: str | Document) -> list[Finding]:
    """NAM001, NAM002, NAM005 and NAM006 findings for one article."""
    return list(analyse(text).findings)
