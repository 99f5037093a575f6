"""The shared word look-ups families consult: is a word known to the general-English language
model or to the reference news vocabulary, and how frequent is it.

The name family (NAM004-NAM006: is a capitalised word in any lexicon, which frequent word is it
one typing slip from) and the fluency family use the same two lexicons. Families use them only
through this module's public functions.

For now the implementations stay where they were written, in :mod:`.fluency` (reference news
vocabulary, hashed BBC unigrams) and :mod:`.fluency_lm` (the pruned KenLM general-English model);
this module imports them lazily (loading either costs tens of milliseconds, and a cold
``detector score`` run may need neither). Moving the implementations here is left for after the
fluency work in flight has merged.
"""

from __future__ import annotations


def lm_available() -> bool:
    """Is the general-English language model installed and loadable?"""
    from .fluency_lm import lm_available as _available

    return _available()


def unigram_logprob(word: str) -> float | None:
    """Natural-log unigram probability of a lower-case word in the general-English language
    model; None when the word is out of its vocabulary or the model is unavailable."""
    from .fluency_lm import unigram_logprob as _logprob

    return _logprob(word)


def in_reference_vocabulary(word: str) -> bool:
    """Is this (normalised, lower-case) word among the reference news corpus's unigrams?"""
    from .fluency import in_reference_vocabulary as _in_ref

    return _in_ref(word)


def known_word(word: str) -> bool:
    """Does the language model or the reference news vocabulary know ``word``?"""
    return unigram_logprob(word) is not None or in_reference_vocabulary(word)
