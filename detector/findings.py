"""The one data type that flows through detector: :class:`Finding`.

Detectors return findings with character offsets (``start``/``end``, end exclusive) into the
article text exactly as the user sees it. ``line``/``column`` (1-based) are filled in by
:func:`locate` once per document, so detectors never have to compute them.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace

SEVERITIES = ("info", "warning", "error")

# family -> human description (README table is generated from CODES below)
FAMILIES = {
    "repetition": "duplicated words, repeated phrases and loops",
    "duplicate-block": "repeated lines, captions, paragraphs or a whole article pasted twice",
    "name": "misspelled or inconsistently spelled person names",
    "broken-sentence": "broken sentence boundaries, fragments, doubled verbs, split quotes, truncation",
    "boilerplate": "page furniture and inserted material",
    "fluency": "spinner and machine-translation word choice",
    "grammar": "LanguageTool grammar, punctuation and style matches",
    "spelling": "LanguageTool spelling matches (lower-case words)",
    "foreign-language": "paragraphs in another language than English (set aside, not judged)",
}

# Stable codes. Never renumber; add new codes at the end of a family.
CODES: dict[str, tuple[str, str]] = {
    # code: (family, description)
    "REP001": ("repetition", "the same word twice in a row"),
    "REP002": ("repetition", "a phrase repeated within a sentence or nearby sentences (loop)"),
    "DUP001": ("duplicate-block", "a line, caption or paragraph that repeats an earlier one"),
    "DUP002": ("duplicate-block", "a long run of paragraphs repeating earlier text (article pasted twice)"),
    "NAM001": ("name", "near-miss of a known person's name"),
    "NAM002": ("name", "two spellings of one name in the same article"),
    "NAM003": ("name", "minority spelling of a name across the batch"),
    "NAM004": ("name", "capitalised word LanguageTool does not know (possible name misspelling)"),
    "NAM005": ("name", "first name that is nobody's, one letter from a common given name"),
    "NAM006": ("name", "capitalised word no lexicon knows, one typing slip from a known word or name"),
    "BRK001": ("broken-sentence", "full stop followed by a lower-case continuation"),
    "BRK002": ("broken-sentence", "verbless fragment in body text"),
    "BRK003": ("broken-sentence", "two finite verbs in a row (doubled verb)"),
    "BRK004": ("broken-sentence", "quotation split or left unbalanced mid-sentence"),
    "BRK005": ("broken-sentence", "text ends mid-sentence (truncated)"),
    "BOI001": ("boilerplate", "'See also' / 'Read more' link line"),
    "BOI002": ("boilerplate", "share / comment / reply / subscribe prompt"),
    "BOI003": ("boilerplate", "syndication or editing disclaimer"),
    "BOI004": ("boilerplate", "stray short heading inside body text"),
    "BOI005": ("boilerplate", "teaser block of other stories ('More from ...')"),
    "BOI006": (
        "boilerplate",
        "navigation or media furniture ('Skip to main content', 'Thumbnail', photo credits)",
    ),
    "FLU001": ("fluency", "tortured phrase (spinner synonym for a fixed term)"),
    "FLU002": ("fluency", "sentence reads like machine translation (MT sentence model)"),
    "FLU003": ("fluency", "unusual word sequence (language model)"),
    "FLU004": ("fluency", "word pair reads like a synonym swap of a common phrase (spinner/tortured phrase)"),
    "LNG001": ("foreign-language", "paragraph in another language (its English-rule findings are dropped)"),
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One piece of evidence against a text.

    ``start``/``end`` are character offsets into the original text (``text[start:end]`` is the
    flagged span). ``line`` and ``column`` are 1-based and filled by :func:`locate`.
    """

    family: str
    code: str
    start: int
    end: int
    message: str
    suggestion: str | None = None
    severity: str = "warning"
    line: int = 0
    column: int = 0

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> Finding:
        return cls(**{k: d[k] for k in cls.__dataclass_fields__ if k in d})


class LineIndex:
    """Maps character offsets to 1-based (line, column)."""

    __slots__ = ("starts",)

    def __init__(self, text: str):
        starts = [0]
        find = text.find
        i = find("\n")
        while i != -1:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self.starts = starts

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


def locate(text: str, findings: Iterable[Finding]) -> list[Finding]:
    """Return findings with line/column filled in, sorted by position."""
    findings = list(findings)
    if not findings:
        return []
    index = LineIndex(text)
    out = []
    for f in findings:
        line, col = index.position(f.start)
        out.append(replace(f, line=line, column=col))
    out.sort(key=lambda f: (f.start, f.end, f.family, f.code))
    return out
