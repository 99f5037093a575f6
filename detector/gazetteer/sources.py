"""Building the base gazetteer from its sources: the curated list ``data/officials.txt`` and the
shared research data ``names/*.jsonl`` (see :mod:`detector.gazetteer`)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from .forms import PROMINENT, US_CONGRESS, clean_entry
from .index import Gazetteer

REPO_ROOT = Path(__file__).resolve().parents[2]
CURATED_PATHS = (
    REPO_ROOT / "data" / "officials.txt",
    Path(__file__).resolve().parents[1] / "resources" / "officials.txt",
)
SHARED_FILES = ("everypolitician_2015.jsonl", "us_congress_current_and_executive.jsonl")

# -- shared data ---------------------------------------------------------------------------


def shared_names_dir() -> Path | None:
    env = os.environ.get("DETECTOR_SHARED_DATA")
    cands = []
    if env:
        cands.append(Path(env) / "names")
    cands.append(REPO_ROOT.parent / "shared" / "data" / "names")
    cands.append(Path.cwd().parent / "shared" / "data" / "names")
    for c in cands:
        if any((c / f).is_file() for f in SHARED_FILES):
            return c
    return None


def _prominent(rec: dict) -> bool:
    return rec.get("n_nonlatin_variants", 0) >= 3 and bool(rec.get("wikidata"))


def _ep_forms(rec: dict) -> tuple[list[str], list[str]]:
    """(clean display forms, extra known-only forms) of one EveryPolitician record."""
    forms: list[str] = []
    extra: list[str] = []
    given, family = rec.get("given_name"), rec.get("family_name")
    name = clean_entry(rec.get("name", ""))
    if given and family:
        g = clean_entry(f"{given.split()[0]} {family}")
        if g:
            forms.append(g)
    if name:
        forms.append(name)
        parts = name.split()
        # many lists put the surname first ("NDIKUMANA Juvénal"): know the other order too
        extra.append(" ".join(parts[1:] + parts[:1]))
        extra.append(" ".join(parts[-1:] + parts[:-1]))
    for v in rec.get("english_variants", ()):
        c = clean_entry(v)
        if c:
            forms.append(c)
    for v in rec.get("latin_variants", ()):
        c = clean_entry(v)
        if c:
            extra.append(c)
    return forms, extra


def _us_forms(rec: dict) -> list[str]:
    forms = []
    first, last = rec.get("first"), rec.get("last")
    nick = rec.get("nickname")
    if nick and last:
        forms.append(f"{nick} {last}")
    if first and last:
        forms.append(f"{first} {last}")
    if rec.get("name"):
        forms.append(rec["name"])
    forms.extend(rec.get("variants", ()))
    return [c for c in (clean_entry(f) for f in forms) if c]


def curated_path() -> Path | None:
    for p in CURATED_PATHS:
        if p.is_file():
            return p
    return None


def build(names_dir: Path | None, curated: Path | None) -> Gazetteer:
    """Build the base gazetteer from the shared data (if any) and the curated list."""
    g = Gazetteer()
    if curated is not None:
        g.add_file(curated, source="curated")
        g.sources.append(str(curated))
    if names_dir is not None:
        g.shared = True
        ep = names_dir / SHARED_FILES[0]
        if ep.is_file():
            with open(ep, encoding="utf-8") as fh:
                for line in fh:
                    rec = json.loads(line)
                    forms, extra = _ep_forms(rec)
                    if forms or extra:
                        g.add_person(
                            forms or extra[:1],
                            target=_prominent(rec) and bool(forms),
                            source="everypolitician",
                            known_only=extra,
                            prominence=rec.get("n_nonlatin_variants", 0) or 0,
                        )
            g.sources.append(str(ep))
        us = names_dir / SHARED_FILES[1]
        if us.is_file():
            with open(us, encoding="utf-8") as fh:
                for line in fh:
                    rec = json.loads(line)
                    forms = _us_forms(rec)
                    if forms:
                        prom = (
                            PROMINENT if str(rec.get("source", "")).startswith("executive") else US_CONGRESS
                        )
                        g.add_person(forms, target=True, source="us-congress", prominence=prom)
            g.sources.append(str(us))
    g.freeze()
    return g
