"""Golden check: refactors and speed-ups must not change what detector says.

For the BBC test split (scored as one batch, grammar off) and the five seeds (grammar off, and
with LanguageTool when it runs), every article's findings (family, code, start, end), reliability
(``repr`` of the float) and verdict are hashed; ``tests/golden/digests.json`` stores the hashes
only, never the third-party text. A change that is meant to alter results (new rule, retrained
model) regenerates the file deliberately, in the same commit:

    OMP_NUM_THREADS=1 .venv/bin/python tests/test_golden.py --update
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from shared_data import BBC, SEEDS  # noqa: E402

GOLDEN = Path(__file__).resolve().parent / "golden" / "digests.json"


def _article_digest(report) -> str:
    parts = [report.verdict, repr(report.reliability)]
    parts += [f"{f.family}:{f.code}:{f.start}:{f.end}" for f in sorted(report.findings, key=lambda f: (f.start, f.end, f.code))]
    return hashlib.sha1("\n".join(parts).encode()).hexdigest()[:16]


def _bbc_articles():
    from detector.article import Article

    arts = []
    with open(BBC, encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            row = json.loads(line)
            if row["split"] != "test":
                continue
            text = row["title"] + "\n\n" + "\n\n".join(row["paragraphs"])
            arts.append(Article(text=text, name=f"bbc-test-{i}"))
    return arts


def _seed_articles():
    from detector.io import iter_inputs

    return list(iter_inputs([str(p) for p in sorted(SEEDS.glob("*.txt"))]))


def corpus_digests(name: str, lt_checker=None) -> dict[str, str]:
    from detector import api

    if name == "bbc-test":
        arts, grammar = _bbc_articles(), "off"
    elif name == "seeds":
        arts, grammar = _seed_articles(), "off"
    elif name == "seeds-grammar":
        arts, grammar = _seed_articles(), lt_checker
    else:
        raise ValueError(name)
    reports = api.score(arts, grammar=grammar, cache=False)
    return {Path(r.path).name: _article_digest(r) for r in reports}


def _stored() -> dict:
    if not GOLDEN.is_file():
        pytest.skip(f"no golden digests at {GOLDEN}")
    return json.loads(GOLDEN.read_text())


def _compare(name: str, lt_checker=None) -> None:
    stored = _stored().get(name)
    if stored is None:
        pytest.skip(f"no golden digests for {name}")
    now = corpus_digests(name, lt_checker)
    changed = sorted(k for k in stored.keys() | now.keys() if stored.get(k) != now.get(k))
    assert not changed, f"{len(changed)} of {len(stored)} articles changed in {name}: {changed[:10]}"


@pytest.mark.skipif(not BBC.is_file(), reason=f"BBC clean news not found at {BBC}")
def test_bbc_test_split_unchanged():
    _compare("bbc-test")


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed articles not found at {SEEDS}")
def test_seeds_unchanged():
    _compare("seeds")


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed articles not found at {SEEDS}")
def test_seeds_with_grammar_unchanged(lt_checker):
    _compare("seeds-grammar", lt_checker)


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit("usage: test_golden.py --update")
    from conftest import _lt_checker

    out = {name: corpus_digests(name) for name in ("bbc-test", "seeds")}
    out["seeds-grammar"] = corpus_digests("seeds-grammar", _lt_checker())
    GOLDEN.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")
    print(f"wrote {GOLDEN}: " + ", ".join(f"{k} {len(v)}" for k, v in out.items()))
