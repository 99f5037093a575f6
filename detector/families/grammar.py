"""grammar / spelling families: matches from a real LanguageTool server.

This module is the pure part: configuration, LanguageTool categories, offsets and chunks, and
how matches become findings and rates (:func:`to_result`, :func:`corroborate_batch`). Talking to
a server is :mod:`detector.lt_checker` (the client: ``open_checker(mode, url=None) -> (checker |
None, status)``, ``mode`` ``"auto"`` or ``"require"`` -- raising :class:`GrammarUnavailable`
with the steps to fix it --, and ``checker.check_many(texts) -> list[GrammarResult]``); the
server itself and the process's shared instance are :mod:`detector.languagetool`.

Where LanguageTool comes from, in order: ``url`` / ``--languagetool-url`` / ``$DETECTOR_LT_URL``;
a server kept running by ``detector languagetool serve`` (found through its port file); else
a local JVM (:class:`detector.languagetool.LocalServer`) that is started lazily, only when some
text is not already in the on-disk cache (:mod:`detector.grammar_cache`), shared by every
checker of the process, restarted if it dies mid-batch and killed at exit. Requests are built by
language-tool-python (``LanguageTool(remote_server=...)``: language validation and the
``/v2/check`` parameters) and sent over one pooled HTTP client, concurrently, one request per
chunk (long articles are split at paragraph breaks into ~``chunk_chars`` pieces).

Findings:

- family ``spelling`` for spelling rules (category TYPOS / MULTITOKEN_SPELLING, MORFOLOGIK
  rules), family ``grammar`` for everything else; code = the LanguageTool rule id; the first
  three replacements, joined by " | ", as the suggestion;
- a spelling hit on a capitalised word becomes ``name``/``NAM004`` (a misspelt name, warning)
  only with corroboration: another spelling in the article or batch, a typing slip of a known
  word, a slip of a prominent person's surname (:func:`detector.families.names.unknown_word_evidence`,
  :func:`corroborate_batch`); otherwise an ``info`` note of family ``note`` that no model counts,
  emitted only with ``DETECTOR_NAM004_NOTES=1``; nothing for words of the user's names files
  (``--names``/``$DETECTOR_NAMES``). :func:`detector.analysis.dedupe` drops NAM004 where a specific
  name finding covers the span;
- spelling hits that only say a word is the British/American variant are dropped.

Spans are offsets into the original text: LanguageTool counts UTF-16 code units, which are
converted back to Python code points (astral characters such as emoji count 2 in Java, 1 here).

Statistics (``GrammarResult.rates``, stable keys): ``lt_<CATEGORY>_per100w`` for every category
in :data:`CATEGORIES` (matches of other categories count in ``lt_OTHER_per100w``) and
``lt_total_per100w``. Rates count every LanguageTool match, including those reported as NAM004.

Configuration (environment, or a TOML file named by ``$DETECTOR_LT_CONFIG`` with the same keys
in lower case without the prefix: ``language``, ``disabled_rules``, ``disabled_categories``,
``chunk_chars``, ``timeout``, ``workers``):

- ``DETECTOR_LT_LANGUAGE`` (default ``en-US``);
- ``DETECTOR_LT_DISABLED_RULES``: comma list replacing :data:`DEFAULT_DISABLED_RULES`
  (``+RULE_A,RULE_B`` adds to the default instead; empty string disables none);
- ``DETECTOR_LT_DISABLED_CATEGORIES`` (default :data:`DEFAULT_DISABLED_CATEGORIES`, same syntax);
- ``DETECTOR_LT_CHUNK_CHARS`` (default 4000), ``DETECTOR_LT_TIMEOUT`` seconds per request
  (default 120), ``DETECTOR_LT_WORKERS`` concurrent requests (default: CPU count, at least 2);
- server options (memory cap, threads, install location): see :mod:`detector.languagetool`;
- cache location: see :mod:`detector.grammar_cache`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field

from ..findings import Finding

FAMILY = "grammar"

# -- LanguageTool categories --------------------------------------------------------------------
# The category ids of LanguageTool 6.8's English rules that the detector knows: the one definition
# behind the family's rates and the grammar model's columns (:data:`detector.features.LT_CATEGORIES`).
#   rate:   the family reports ``lt_<ID>_per100w``; a match of any other category counts in
#           ``lt_OTHER_per100w`` (all matches count in ``lt_total_per100w``)
#   column: the grammar model has an ``lt:<ID>`` column even when no training text had a match;
#           other rated ids get a column when training sees them (sorted after these)
# In the order of the ``lt:`` columns of the shipped grammar model (default-grammar-v1): a new
# order would change a retrained model's columns. Two lists used to hold these ids, 17 and 18
# items: the family's rate list lacked BRITISH_ENGLISH and AMERICAN_ENGLISH (disabled by default,
# DEFAULT_DISABLED_CATEGORIES, so never seen) and PLAIN_ENGLISH (counted in OTHER); the column
# list lacked MULTITOKEN_SPELLING and PROPER_NOUNS (columns anyway, since training saw them).
# Kept as they were, so rates and models are unchanged: the three unrated columns are always 0.
LT_CATEGORY_TABLE: tuple[tuple[str, bool, bool], ...] = (
    # id                    rate   column
    ("TYPOS", True, True),
    ("GRAMMAR", True, True),
    ("PUNCTUATION", True, True),
    ("TYPOGRAPHY", True, True),
    ("CASING", True, True),
    ("STYLE", True, True),
    ("REDUNDANCY", True, True),
    ("CONFUSED_WORDS", True, True),
    ("COLLOCATIONS", True, True),
    ("SEMANTICS", True, True),
    ("MISC", True, True),
    ("COMPOUNDING", True, True),
    ("NONSTANDARD_PHRASES", True, True),
    ("REPETITIONS", True, True),
    ("REPETITIONS_STYLE", True, True),
    ("BRITISH_ENGLISH", False, True),
    ("AMERICAN_ENGLISH", False, True),
    ("PLAIN_ENGLISH", False, True),
    ("MULTITOKEN_SPELLING", True, False),
    ("PROPER_NOUNS", True, False),
)
# categories with a rate of their own, in rate-key order
CATEGORIES = tuple(c for c, rate, _ in LT_CATEGORY_TABLE if rate)
# categories with a grammar-model column even when unseen, in column order
COLUMN_CATEGORIES = tuple(c for c, _, column in LT_CATEGORY_TABLE if column)
RATE_KEYS = tuple(f"lt_{c}_per100w" for c in CATEGORIES) + ("lt_OTHER_per100w", "lt_total_per100w")

# Noisy on edited news text, or double-counting another detector family. Measured on BBC test
# articles with LanguageTool 6.8: the comma rules and unpaired quotes (multi-paragraph quotes
# legitimately leave a quote open) fire on clean copy; sentence-start case and unpaired quotes
# are covered by BRK001/BRK004; whitespace/quote/dash typography is extraction noise.
DEFAULT_DISABLED_RULES = (
    "WHITESPACE_RULE",
    "CONSECUTIVE_SPACES",
    "EN_QUOTES",
    "DASH_RULE",
    "HYPHEN_TO_EN",
    "UPPERCASE_SENTENCE_START",
    "EN_UNPAIRED_QUOTES",
    "EN_UNPAIRED_BRACKETS",
    "COMMA_COMPOUND_SENTENCE",
    "COMMA_COMPOUND_SENTENCE_2",
    "SENT_START_CONJUNCTIVE_LINKING_ADVERB_COMMA",
    "PUNCTUATION_PARAGRAPH_END",
)
# Locale preferences are not garbling (en-US checking of British copy).
DEFAULT_DISABLED_CATEGORIES = ("BRITISH_ENGLISH", "AMERICAN_ENGLISH")

SPELLING_CATEGORIES = frozenset({"TYPOS", "MULTITOKEN_SPELLING"})
_VARIANT_RE = re.compile(r"\bis (British|American|Canadian|Australian|New Zealand|South African) English\b")
_ASTRAL_RE = re.compile("[\U00010000-\U0010ffff]")
_WORD_RE = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
FIX_STEPS = (
    "to fix: install Java 17+ (e.g. `apt-get install openjdk-17-jre-headless`), then run "
    "`detector languagetool install` (or `make languagetool`); or pass --languagetool-url URL "
    "(env DETECTOR_LT_URL) of a running LanguageTool server; `detector languagetool status` "
    "shows what is missing"
)


class GrammarUnavailable(RuntimeError):
    """LanguageTool cannot be had; the message says how to fix it."""


@dataclass(slots=True)
class GrammarResult:
    findings: list[Finding] = field(default_factory=list)
    rates: dict[str, float] = field(default_factory=dict)
    error: str | None = None
    # capitalised words LanguageTool does not know and nothing in the article corroborates as a
    # misspelling, as (start, end): the batch may still (see :func:`corroborate_batch`)
    unknown_names: list[tuple[int, int]] = field(default_factory=list)


# -- configuration ---------------------------------------------------------------------------
@dataclass(frozen=True)
class LTConfig:
    language: str = "en-US"
    disabled_rules: tuple[str, ...] = DEFAULT_DISABLED_RULES
    disabled_categories: tuple[str, ...] = DEFAULT_DISABLED_CATEGORIES
    chunk_chars: int = 4000
    timeout: float = 120.0
    workers: int = 2

    def fingerprint(self) -> str:
        """What changes LanguageTool's answer for a text (part of the cache key)."""
        d = {
            "language": self.language,
            "disabled_rules": sorted(self.disabled_rules),
            "disabled_categories": sorted(self.disabled_categories),
            "chunk_chars": self.chunk_chars,
        }
        return hashlib.sha256(json.dumps(d, sort_keys=True).encode()).hexdigest()[:16]


def _list_setting(value, default: tuple[str, ...]) -> tuple[str, ...]:
    if value is None:
        return default
    if isinstance(value, (list, tuple)):
        return tuple(sorted({str(v).strip() for v in value if str(v).strip()}))
    value = str(value).strip()
    extra = value.startswith("+")
    items = {v.strip() for v in value.lstrip("+").split(",") if v.strip()}
    return tuple(sorted(items | set(default))) if extra else tuple(sorted(items))


def load_config() -> LTConfig:
    file_cfg: dict = {}
    path = os.environ.get("DETECTOR_LT_CONFIG")
    if path:
        import tomllib

        with open(path, "rb") as f:
            file_cfg = tomllib.load(f)

    def get(name: str):
        env = os.environ.get(f"DETECTOR_LT_{name.upper()}")
        return env if env is not None else file_cfg.get(name)

    workers = get("workers")
    return LTConfig(
        language=str(get("language") or "en-US"),
        disabled_rules=_list_setting(get("disabled_rules"), DEFAULT_DISABLED_RULES),
        disabled_categories=_list_setting(get("disabled_categories"), DEFAULT_DISABLED_CATEGORIES),
        chunk_chars=int(get("chunk_chars") or 4000),
        timeout=float(get("timeout") or 120),
        workers=int(workers) if workers else max(2, os.cpu_count() or 2),
    )


# -- offsets and chunks ----------------------------------------------------------------------
def utf16_to_codepoint_map(text: str) -> list[int] | None:
    """Map UTF-16 offsets (Java/LanguageTool) to code point offsets; None if they coincide."""
    if not _ASTRAL_RE.search(text):
        return None
    m: list[int] = []
    for i, ch in enumerate(text):
        m.append(i)
        if ord(ch) > 0xFFFF:
            m.append(i)  # the low surrogate maps to the same character
    m.append(len(text))
    return m


def map_span(m: list[int] | None, offset: int, length: int) -> tuple[int, int]:
    if m is None:
        return offset, offset + length
    last = len(m) - 1
    s16, e16 = min(max(offset, 0), last), min(max(offset + length, 0), last)
    start, end = m[s16], m[e16]
    if e16 > 0 and m[e16] == m[e16 - 1] and e16 < last:  # end inside a surrogate pair: round up
        end += 1
    return start, max(end, start)


_PARA_BREAK_RE = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_LINE_BREAK_RE = re.compile(r"\n\s*")


def split_chunks(text: str, size: int) -> list[tuple[int, int]]:
    """(start, end) pieces covering ``text``, cut after paragraph breaks (line breaks for very
    long paragraphs), each about ``size`` characters or less where the text allows."""
    if len(text) <= size or size <= 0:
        return [(0, len(text))]
    cuts = [m.end() for m in _PARA_BREAK_RE.finditer(text)]
    pieces: list[tuple[int, int]] = []
    start = 0
    bounds = [*cuts, len(text)]
    prev = 0
    for b in bounds:
        if b - start > size and prev > start:
            pieces.append((start, prev))
            start = prev
        prev = b
    pieces.append((start, len(text)))
    out: list[tuple[int, int]] = []
    for s, e in pieces:  # a single over-long paragraph: cut at line breaks inside it
        if e - s <= 2 * size:
            out.append((s, e))
            continue
        sub_start, prev = s, s
        for m in _LINE_BREAK_RE.finditer(text, s, e):
            b = m.end()
            if b - sub_start > size and prev > sub_start:
                out.append((sub_start, prev))
                sub_start = prev
            prev = b
        out.append((sub_start, e))
    return [(s, e) for s, e in out if e > s] or [(0, len(text))]


# -- matches -> findings / rates -------------------------------------------------------------
def normalise_match(m: dict, chunk_text: str, base: int, umap: list[int] | None) -> list | None:
    """A LanguageTool JSON match as ``[rule, category, issue_type, start, end, message, repl]``
    with offsets in code points of the whole text; None for dropped matches."""
    rule = m.get("rule") or {}
    rid = rule.get("id", "")
    cat = (rule.get("category") or {}).get("id", "")
    msg = m.get("message", "")
    if (cat in SPELLING_CATEGORIES or rid.startswith("MORFOLOGIK")) and _VARIANT_RE.search(msg):
        return None
    start, end = map_span(umap, int(m.get("offset", 0)), int(m.get("length", 0)))
    repl = [r.get("value", "") for r in (m.get("replacements") or [])[:3]]
    return [rid, cat, rule.get("issueType", ""), base + start, base + end, msg, repl]


def _is_spelling(rid: str, cat: str) -> bool:
    return cat in SPELLING_CATEGORIES or rid.startswith(("MORFOLOGIK_RULE", "HUNSPELL"))


def _nam004(text: str, start: int, end: int, evidence: tuple[str, str]) -> Finding:
    word = text[start:end]
    reason, good = evidence
    return Finding(
        "name",
        "NAM004",
        start,
        end,
        f"'{word}' is not in LanguageTool's dictionary and {reason}: a misspelling of '{good}'?",
        good,
        "warning",
    )


def _nam004_note(text: str, start: int, end: int, suggestion: str | None) -> Finding:
    """The opt-in note (family ``note``: no model counts it, so it never moves a score)."""
    return Finding(
        "note",
        "NAM004",
        start,
        end,
        f"'{text[start:end]}' is not in LanguageTool's dictionary (a name? nothing suggests a misspelling)",
        suggestion,
        "info",
    )


def to_result(text: str, matches: list[list]) -> GrammarResult:
    """Findings and rates of one text from its LanguageTool matches.

    A spelling match on a capitalised word is a name question, decided by
    :func:`detector.families.names.unknown_word_evidence`: a ``name``/``NAM004`` warning when
    something corroborates a misspelling, nothing when the user's names files list the word,
    else an ``info`` note in family ``note`` -- only with ``DETECTOR_NAM004_NOTES=1``."""
    from . import names

    findings = []
    unknown: list[tuple[int, int]] = []
    notes = names.nam004_notes_enabled()
    index = None
    counts = dict.fromkeys(CATEGORIES, 0)
    other = 0
    for rid, cat, issue, start, end, msg, repl in matches:
        if cat in counts:
            counts[cat] += 1
        else:
            other += 1
        spelling = _is_spelling(rid, cat)
        word = text[start:end]
        severity = "warning" if issue in ("grammar", "misspelling", "duplication") else "info"
        suggestion = " | ".join(r for r in repl if r) or None
        if spelling and word[:1].isupper():
            if index is None:
                index = names.SpellingIndex(names.capitalised_counts(text))
            ev = names.unknown_word_evidence(text, start, end, index)
            if isinstance(ev, tuple):
                findings.append(_nam004(text, start, end, ev))
            elif ev is None:
                unknown.append((start, end))
                if notes:
                    findings.append(_nam004_note(text, start, end, suggestion))
        else:
            findings.append(
                Finding("spelling" if spelling else "grammar", rid, start, end, msg, suggestion, severity)
            )
    words = max(1, sum(1 for _ in _WORD_RE.finditer(text)))
    rates = {f"lt_{c}_per100w": 100.0 * n / words for c, n in counts.items()}
    rates["lt_OTHER_per100w"] = 100.0 * other / words
    rates["lt_total_per100w"] = 100.0 * len(matches) / words
    return GrammarResult(findings=findings, rates=rates, unknown_names=unknown)


def corroborate_batch(texts: list[str], results: list[GrammarResult | None]) -> None:
    """Upgrade (in place) an uncorroborated unknown capitalised word to a NAM004 warning when
    other articles of the batch agree on another spelling of it
    (:func:`detector.families.names.batch_variant`)."""
    from collections import Counter

    from . import names

    if len(texts) < 2 or not any(r is not None and r.unknown_names for r in results):
        return
    own = [names.capitalised_counts(t) for t in texts]
    doc_freq: Counter = Counter()
    for c in own:
        doc_freq.update(c.keys())
    batch = names.SpellingIndex(doc_freq)
    for t, r, c in zip(texts, results, own, strict=True):
        corroborate_one(t, r, batch, c)


def corroborate_one(text: str, result: GrammarResult | None, batch, own) -> None:
    """:func:`corroborate_batch` for one article: ``batch`` is the
    :class:`~detector.families.names.SpellingIndex` of in how many articles each capitalised word
    occurs, ``own`` the article's :func:`~detector.families.names.capitalised_counts`."""
    from . import names

    if result is None or not result.unknown_names:
        return
    keep = []
    for s, e in result.unknown_names:
        word = names.bare_word(text[s:e])
        v = names.batch_variant(word, batch, own)
        if v is None:
            keep.append((s, e))
            continue
        result.findings = [f for f in result.findings if not (f.family == "note" and f.start == s and f.end == e)]
        result.findings.append(
            _nam004(text, s, e, (f"{v[1]} other articles of this batch spell it '{v[0]}'", v[0]))
        )
    result.unknown_names = keep
