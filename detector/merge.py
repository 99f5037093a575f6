"""One finding per problem: overlapping findings of the same cause are merged into one.

Each rule names the code kept (the project's own, more specific diagnosis) and the code or
LanguageTool rule id dropped when its span lies inside the kept finding's span. The kept finding's
message then names the other source, e.g. ``word repeated (also LanguageTool
ENGLISH_WORD_REPEAT_RULE)``, so nothing the other detector said is lost, but the problem counts
once in the score.

The pairs come from ``scripts/find_overlapping_findings.py`` (grammar on; 100 BBC test-split
articles and the seeds, clean and with the training set's corruptions); the README lists the
counts. Overlaps that are *not* merged, because the two findings are different problems:
a name or spelling finding inside a duplicated block, a teaser block or a caption (DUP00x /
BOI00x containing NAM004 or a LanguageTool match: the wording problem is real and separate from
the page problem), a truncation next to a split quote (BRK004/BRK005), a LanguageTool match
inside a broken sentence (BRK001 'trev. think tbwa' / MORFOLOGIK on 'tbwa').
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .findings import Finding

LANGUAGETOOL_FAMILIES = ("grammar", "spelling")


@dataclass(frozen=True, slots=True)
class MergeRule:
    keep: str  # code kept (regular expression, full match)
    drop: str  # code or LanguageTool rule id dropped (regular expression, full match)
    why: str

    def keeps(self, f: Finding) -> bool:
        return re.fullmatch(self.keep, f.code) is not None

    def drops(self, f: Finding) -> bool:
        return re.fullmatch(self.drop, f.code) is not None


# (kept, dropped): the dropped finding is merged when its span lies inside the kept one's span
# (identical spans included). Order matters only for chains: a finding dropped once is gone.
MERGE_RULES: tuple[MergeRule, ...] = (
    MergeRule(
        "REP001",
        "ENGLISH_WORD_REPEAT_RULE",
        "'the the': both flag the doubled word, same span (28 pairs in the study)",
    ),
    MergeRule(
        "REP001",
        "BRK003",
        "'believes believes': a doubled verb that is the same word twice is a repetition; "
        "REP001 says exactly what happened, BRK003 (two finite verbs) only the symptom",
    ),
    MergeRule(
        "REP002",
        "PHRASE_REPETITION",
        "a phrase loop: LanguageTool's span is the loop or its repeated half (15 pairs)",
    ),
    MergeRule(
        "REP002",
        "BRK001|BRK004|FLU003",
        "a loop copies a full stop, an opening quote or a word across the join: the lower-case "
        "continuation, the unbalanced quote and the odd word pair inside the loop are the loop",
    ),
    MergeRule(
        "BOI004",
        "BRK002",
        "a stray heading is a verbless line by construction; BOI004 says what it is (page "
        "furniture left in the body), BRK002 (verbless fragment) only that it has no verb, and a "
        "heading is not a broken sentence of the article's wording",
    ),
    MergeRule(
        "BOI00[1-6]",
        "DUP001",
        "a furniture line that recurs ('Subscribe ...', 'Skip to main content' twice): the "
        "repeat is the furniture, reported by the boilerplate code on each copy",
    ),
    MergeRule(
        "BRK001",
        "THE_SENT_END",
        "'the. impetus': a full stop after 'the' is the broken sentence boundary BRK001 reports",
    ),
)


def source_name(f: Finding) -> str:
    """How a merged finding names another source: LanguageTool's rule id, or the project code."""
    return f"LanguageTool {f.code}" if f.family in LANGUAGETOOL_FAMILIES else f.code


def merge(findings: list[Finding], rules: tuple[MergeRule, ...] | None = None) -> list[Finding]:
    """Apply the merge rules: drop each finding a rule merges into a kept finding that contains
    it, and name the dropped sources in the kept finding's message. Order is preserved."""
    rules = MERGE_RULES if rules is None else rules
    if not rules or len(findings) < 2:
        return list(findings)
    dropped: set[int] = set()
    also: dict[int, list[str]] = {}
    for rule in rules:
        keeps = [i for i, f in enumerate(findings) if i not in dropped and rule.keeps(f)]
        if not keeps:
            continue
        for j, d in enumerate(findings):
            if j in dropped or not rule.drops(d):
                continue
            for i in keeps:
                k = findings[i]
                if i != j and k.start <= d.start and d.end <= k.end and k.end > k.start:
                    dropped.add(j)
                    name = source_name(d)
                    names = also.setdefault(i, [])
                    if name not in names:
                        names.append(name)
                    break
    if not dropped:
        return list(findings)
    out = []
    for i, f in enumerate(findings):
        if i in dropped:
            continue
        if i in also:
            f = replace(f, message=f"{f.message} (also {', '.join(also[i])})")
        out.append(f)
    return out
