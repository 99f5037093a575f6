"""Access to ../shared (seed articles, BBC clean news) for tests; skips when it is absent.

The shared folder holds third-party research data: tests read it in place and never copy it
into the repository. ``$DETECTOR_SHARED`` overrides the location (default: ``../shared``
beside the repository).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

SHARED = Path(os.environ.get("DETECTOR_SHARED") or Path(__file__).resolve().parents[1].parent / "shared")
SEEDS = SHARED / "seeds"
BBC = SHARED / "data" / "clean" / "bbc_news.jsonl"
MT = SHARED / "data" / "mt"


def mt_records(filename: str) -> list[dict]:
    """Records of one WMT file of ../shared/data/mt (skips when it is absent)."""
    path = MT / filename
    if not path.is_file():
        pytest.skip(f"WMT data not found at {path}")
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def seed_text(prefix: str) -> str:
    """Text of the seed article whose file name starts with ``prefix`` (e.g. "003")."""
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS}")
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def bbc_texts(split: str, limit: int | None = None, *, title: bool = True) -> list[str]:
    """BBC articles of one split (``title`` + blank line + paragraphs), at most ``limit``."""
    if not BBC.is_file():
        pytest.skip(f"BBC clean news not found at {BBC}")
    out = []
    with open(BBC, encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row["split"] != split:
                continue
            body = "\n\n".join(row["paragraphs"])
            out.append(f"{row['title']}\n\n{body}" if title else body)
            if limit and len(out) >= limit:
                break
    return out
