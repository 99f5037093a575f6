#!/usr/bin/env python3
"""Build the labelled training / evaluation JSONL for `detector train` and `detector evaluate`.

Output rows: ``{"text", "label", "source", "group"}`` (label 1 = unreliable, 0 = reliable).
The output goes OUTSIDE version control (default ``build/dataset-<split>.jsonl``; ``build/`` is
gitignored): it contains third-party research-use text that must never be committed.

Inputs are read from the shared data folder: ``--shared``, else ``$DETECTOR_SHARED_DATA``, else
``../shared/data`` relative to the repository root. Synonym spinning needs Debian's English
MyThes thesaurus::

    apt-get update && apt-get install -y mythes-en-us     # -> /usr/share/mythes/th_en_US_v2.dat

Recipe (details and counts in data/README.md):

- ``--split train``: BBC ``split == "train"`` articles (exact/near duplicates dropped) that are
  NOT in the half used for the fluency reference n-grams (:func:`bbc_part`). Each article is used
  once: ~40% stay clean (label 0), the rest get ONE corruption operator (label 1): ``repeat``
  (word/phrase loops), ``duplicate`` (paragraphs duplicated or the article pasted twice),
  ``names`` (a recurring name misspelt), ``broken`` (broken sentence boundaries, dropped words,
  split quotes, truncation), ``boilerplate`` (page furniture inserted), ``spin`` (thesaurus
  synonym spinning), ``tortured`` (tortured-phrase lexicon reverse-applied + light spinning),
  ``mixed`` (light spinning + 2-3 of names/broken/boilerplate/repeat at once).
  Plus real MT vs human English from the training WMT sets (see MT_TRAIN), 'model' half of their
  source documents only (:func:`half`; the 'ref' half trains the MT sentence model shipped in
  ``detector/resources/mt_sentences.npz``, ``scripts/build_fluency_model.py``).
- ``--split test``: the same operators on BBC ``split == "test"`` articles, plus the held-out
  WMT sets (MT_HELDOUT), which are never used for training.

MT labelling rule: human references (``kind == "reference"``) -> 0. System documents -> 1 when
their document-level crowd DA (raw 0-100) is below 50 (WMT21/22), or, for WMT17 (no doc scores),
when the system is one of the low-ranked rule-based/SMT systems in LOW_WMT17. Other system
documents are not used. WMT22 uk-en is used only for documents of >= 8 segments (the rest are
one-line personal messages). Documents shorter than 50 words are dropped. In the training split
at most 3 system documents per source document are kept (seeded), to keep MT balanced.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
THESAURUS = Path("/usr/share/mythes/th_en_US_v2.dat")

OPERATORS = ("repeat", "duplicate", "names", "broken", "boilerplate", "spin", "tortured", "mixed")
CLEAN_SHARE = 0.4
DA_THRESHOLD = 50.0
LOW_WMT17 = frozenset({"apertium-unconstrained", "PJATK", "online-F", "jhu-pbmt", "JAIST"})
# (file, lp) pairs
MT_TRAIN = (
    ("wmt21_isen_jaen_ruen.jsonl", "ja-en"),
    ("wmt21_isen_jaen_ruen.jsonl", "ru-en"),
    ("wmt22_ruen.jsonl", "ru-en"),
    ("wmt22_uken.jsonl", "uk-en"),
    ("wmt17_toen_pseudodocs.jsonl", None),
)
MT_HELDOUT = (
    ("wmt22_jaen.jsonl", "ja-en"),
    ("wmt21_isen_jaen_ruen.jsonl", "is-en"),
)
MIN_WORDS = 50
# Clean modern English-original news (WMT21 newstest source side, 28 outlets, 2020-21). Split by
# OUTLET (sha1("wmt21-news:" + outlet) % 3 == 0 -> "train", else "measure"): the measurement part
# (45 articles, 17 outlets) is never used for training, model choice or thresholds; it only
# measures false alarms (scripts/measure_false_alarms.py). The train part (20 articles, 11
# outlets) gives the classifier clean copy from outside BBC 2004-05.
NEWS_FILE = ("clean", "wmt21_en_news.jsonl")
NEWS_SALT = "wmt21-news"
# Training split: an article pasted twice keeps its text intact, so it is a soft label: two rows
# of the same text, label 1 with weight PASTED_TWICE_P and label 0 with weight 1 - PASTED_TWICE_P.
PASTED_TWICE_P = 0.6
MAX_SYS_PER_DOC_TRAIN = 3
# Training split: corrupted variants per BBC article (each with a different operator, same group
# as its clean row), and the share of clean rows (train and test) that carry light page furniture.
VARIANTS_TRAIN = 2
FURNITURE_SHARE = 0.35


def shared_dir(arg: str | None) -> Path:
    if arg and not Path(arg).is_dir():  # a folder the user named is never silently replaced
        sys.exit(f"error: shared data folder not found: {arg}")
    for cand in (arg, os.environ.get("DETECTOR_SHARED_DATA"), str(REPO.parent / "shared" / "data")):
        if cand and Path(cand).is_dir():
            return Path(cand)
    sys.exit("error: shared data not found: pass --shared DIR or set $DETECTOR_SHARED_DATA")


def write_json(path: str | os.PathLike, obj) -> None:
    """Write ``obj`` as indented JSON to ``path`` atomically (a temporary file, then a rename):
    the measurement scripts' ``--json`` output."""
    tmp = Path(str(path) + ".tmp")
    tmp.write_text(json.dumps(obj, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)


def half(key: str) -> str:
    """Which half of a training corpus a source document belongs to: 'ref' (feeds the fluency
    resources: reference n-grams, MT sentence model) or 'model' (classifier training).
    Deterministic, by group key, so no document's variants straddle the two."""
    return "ref" if int(hashlib.sha1(("ref:" + key).encode()).hexdigest()[:8], 16) % 2 == 0 else "model"


def bbc_part(dup_group: str) -> str:
    """Half of the BBC train split (by duplicate group), see :func:`half`."""
    return half(dup_group)


def news_part(outlet: str) -> str:
    """"train" or "measure" for an outlet of ``wmt21_en_news.jsonl`` (see NEWS_FILE)."""
    h = int(hashlib.sha1(f"{NEWS_SALT}:{outlet}".encode()).hexdigest(), 16)
    return "train" if h % 3 == 0 else "measure"


def load_news(shared: Path, part: str | None = None) -> list[dict]:
    """Records of the clean modern news file (``part``: "train", "measure" or None for all)."""
    path = shared.joinpath(*NEWS_FILE)
    if not path.is_file():
        return []
    with open(path, encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    return [r for r in rows if part is None or news_part(r["outlet"]) == part]


def news_rows(shared: Path, rng: random.Random, thesaurus_path: Path, other_titles: list[str]) -> list[dict]:
    """Training rows from the "train" part of the clean modern news: each article clean (a third
    with light furniture) plus one corrupted variant (operators in turn), in the article's group."""
    thesaurus = Thesaurus(thesaurus_path)
    lexicon = load_lexicon(shared)
    rows = []
    for k, r in enumerate(load_news(shared, "train")):
        text = r["text"]
        group = f"news:{r['id']}"
        rows.append(clean_row(text, rng, "wmt21news-train/clean", group))
        op = OPERATORS[k % len(OPERATORS)]
        bad = OPS[op](text, rng, thesaurus=thesaurus, lexicon=lexicon, other_titles=other_titles,
                      prefer_detectable=True)
        if bad == text:
            op, bad = "broken", op_broken(text, rng)
        rows.extend(bad_rows(text, bad, f"wmt21news-train/{op}", group, soft=True))
    return rows


def mt_group(r: dict) -> str:
    return "mt:" + ":".join(str(x) for x in (r["corpus"], r["lp"], r["doc_id"]))


def bbc_text(row: dict) -> str:
    return row["title"].strip() + "\n\n" + "\n\n".join(p.strip() for p in row["paragraphs"])


def load_bbc(shared: Path, split: str, part: str | None = None) -> list[dict]:
    rows = []
    with open(shared / "clean" / "bbc_news.jsonl", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if r["split"] != split or r["is_exact_duplicate"] or r["is_near_duplicate"]:
                continue
            if part is not None and bbc_part(r["dup_group"]) != part:
                continue
            rows.append(r)
    return rows


# --------------------------------------------------------------------------------------------
# corruption operators
# --------------------------------------------------------------------------------------------
SENT_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")
WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’-]*")
STOP = frozenset(
    """a an the and or but if of to in on at by for with from as is are was were be been being it its
    this that these those he she they we you i his her their our your my not no so than then there
    said says say has have had do does did will would can could may might must shall should who whom
    which what when where why how all any some more most other such only own same very also just""".split()
)


def _paras(text: str) -> list[str]:
    return text.split("\n\n")


def op_repeat(text: str, rng: random.Random, **_) -> str:
    paras = _paras(text)
    body = list(range(1, len(paras)))
    for _ in range(rng.randint(2, 5)):
        if not body:
            break
        i = rng.choice(body)
        words = paras[i].split(" ")
        if len(words) < 6:
            continue
        j = rng.randrange(0, len(words) - 4)
        if rng.random() < 0.4:
            words.insert(j, words[j])  # "the the"
        else:
            n = rng.randint(2, 4)
            k = rng.randint(1, 2)
            words[j + n : j + n] = words[j : j + n] * k  # loop
        paras[i] = " ".join(words)
    return "\n\n".join(paras)


def op_duplicate(text: str, rng: random.Random, **_) -> str:
    paras = _paras(text)
    r = rng.random()
    if r < 0.35:
        sep = rng.choice(["\n\n", "\n\nShare this post\n\n", "\n\nShare\n\n", "\n\n\n"])
        return text + sep + text
    if r < 0.55 and len(paras) > 4:  # second half repeated
        k = rng.randint(len(paras) // 3, len(paras) - 1)
        return "\n\n".join(paras + paras[k:])
    for _ in range(rng.randint(2, 3)):
        i = rng.randrange(1, len(paras)) if len(paras) > 1 else 0
        j = rng.randint(i + 1, len(paras))
        paras.insert(j, paras[i])
    return "\n\n".join(paras)


def _misspell(name: str, rng: random.Random) -> str:
    if len(name) < 4:
        return name + name[-1]
    i = rng.randrange(1, len(name) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    if kind == 1:
        return name[:i] + name[i + 1 :]
    if kind == 2:
        return name[:i] + name[i] + name[i:]
    vowels = "aeiou"
    c = name[i]
    repl = rng.choice([v for v in vowels if v != c.lower()]) if c.lower() in vowels else rng.choice("aeiou")
    return name[:i] + repl + name[i + 1 :]


_NOT_FIRST = STOP | {"mr", "mrs", "ms", "dr", "sir", "lord", "the", "prime", "president", "new", "north", "south",
                     "east", "west", "united", "european", "british", "labour", "but", "in", "on", "at"}


def op_names(text: str, rng: random.Random, prefer_detectable: bool = False, **_) -> str:
    """Misspell person names: in 1-2 full-name mentions ("Jack Straw" -> "Jack Sraw") of 1-2
    people, and sometimes in a later surname-only mention ("Mr Straw" -> "Mr Sraw").

    ``prefer_detectable`` (training split only): up to 4 attempts, keeping the first one the
    name family can see (e.g. a known politician), so the model learns what name findings are
    worth; most BBC names are not in the gazetteer and their misspellings leave no evidence."""
    if not prefer_detectable:
        return _names_once(text, rng)
    from detector.families import names as names_family

    base = len(names_family.detect(text))
    for _ in range(6):
        out = _names_once(text, rng)
        if len(names_family.detect(out)) > base:
            return out
    return text  # nothing detectable: the caller applies another operator


def _names_once(text: str, rng: random.Random) -> str:
    full = Counter(
        m.group(0)
        for m in re.finditer(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-z]{2,}) ([A-Z][a-z]{3,})\b", text, re.M)
        if m.group(1).lower() not in _NOT_FIRST and m.group(2).lower() not in STOP
    )
    if not full:
        return op_broken(text, rng)
    out = text
    for name in rng.sample(sorted(full), min(len(full), rng.randint(1, 2))):
        first, last = name.split(" ")
        bad_last = _misspell(last, rng)
        bad = f"{first} {bad_last}" if rng.random() < 0.75 else f"{_misspell(first, rng)} {last}"
        occ = [m.start() for m in re.finditer(re.escape(name), out)]
        if not occ:
            continue
        for pos in sorted(rng.sample(occ, min(len(occ), rng.randint(1, 2))), reverse=True):
            out = out[:pos] + bad + out[pos + len(name) :]
        if bad.endswith(bad_last) and rng.random() < 0.5:
            solo = [m.start(1) for m in re.finditer(rf"(?:Mr|Mrs|Ms|Dr) ({re.escape(last)})\b", out)]
            if solo:
                pos = rng.choice(solo)
                out = out[:pos] + bad_last + out[pos + len(last) :]
    return out


def op_mixed(text: str, rng: random.Random, **kw) -> str:
    """Syndicated copy that went through several hands: light spinning plus 3-4 of names, broken,
    boilerplate, repeat and a repeated caption paragraph."""
    text = _spin(text, rng, kw["thesaurus"], rng.uniform(0.05, 0.2))
    for op in rng.sample(["names", "broken", "boilerplate", "repeat", "caption"], rng.randint(3, 4)):
        if op == "caption":  # one short paragraph (a caption) repeated
            paras = _paras(text)
            i = rng.randrange(1, len(paras)) if len(paras) > 1 else 0
            paras.insert(min(len(paras), i + 1), paras[i])
            text = "\n\n".join(paras)
        else:
            text = OPS[op](text, rng, **kw)
    return text


def op_broken(text: str, rng: random.Random, **_) -> str:
    paras = _paras(text)
    for _ in range(rng.randint(2, 5)):
        i = rng.randrange(1, len(paras)) if len(paras) > 1 else 0
        p = paras[i]
        words = p.split(" ")
        if len(words) < 8:
            continue
        j = rng.randrange(3, len(words) - 3)
        kind = rng.randrange(4)
        if kind == 0:  # full stop + lower-case continuation
            words[j] = words[j].rstrip(",;") + "."
            words[j + 1] = words[j + 1].lower()
        elif kind == 1:  # dropped words
            del words[j : j + rng.randint(1, 3)]
        elif kind == 2:  # split / unbalanced quote
            words[j] = '"' + words[j]
        else:  # two sentences run together
            p2 = re.sub(r"\. ([A-Z])", lambda m: " " + m.group(1).lower(), p, count=1)
            paras[i] = p2
            continue
        paras[i] = " ".join(words)
    if rng.random() < 0.5:  # truncated mid-sentence
        last = paras[-1].split(" ")
        if len(last) > 6:
            paras[-1] = " ".join(last[: rng.randrange(3, len(last) - 2)]).rstrip(".,")
    return "\n\n".join(paras)


FURNITURE = [
    "Share this post",
    "Share this article",
    "Advertisement",
    "Skip to main content",
    "Thumbnail",
    "Read more:",
    "See also:",
    "Subscribe to our newsletter for the latest updates.",
    "Click here to leave a comment",
    "Reply",
    "Image caption",
    "Photo: Getty Images",
    "(Photo by Reuters)",
    "This article was automatically translated and has not been edited.",
    "This story has not been edited by our staff and is auto-generated from a syndicated feed.",
    "Follow us on Twitter and Facebook",
    "Related Topics",
    "Top stories",
    "Most read",
    "Continue reading below",
]


def op_boilerplate(text: str, rng: random.Random, other_titles: list[str] = (), **_) -> str:
    paras = _paras(text)
    for _ in range(rng.randint(3, 6)):
        item = rng.choice(FURNITURE)
        if item in ("Read more:", "See also:") and other_titles:
            item = f"{item} {rng.choice(other_titles)}"
        paras.insert(rng.randint(1, len(paras)), item)
    if other_titles and rng.random() < 0.5:
        k = min(len(other_titles), rng.randint(2, 4))
        block = [rng.choice(["More from News", "More stories", "You may also like"])]
        block += rng.sample(list(other_titles), k)
        paras.append("\n".join(block))
    return "\n\n".join(paras)


# what a clean article copied from a news page often carries: a caption/credit line or two,
# navigation, or one caption repeated (image caption + alt text)
LIGHT_FURNITURE = [
    "Skip to main content",
    "Image caption",
    "Image copyright",
    "Photo: Getty Images",
    "(Photo by Reuters)",
    "Advertisement",
    "Share this article",
    "Related Topics",
    "Media caption",
]


def op_light_furniture(text: str, rng: random.Random, **_) -> str:
    """Clean copy with light page furniture (label stays 0): 1-2 furniture lines, or one short
    paragraph (a caption) repeated once, or both. The wording itself is untouched."""
    paras = _paras(text)
    r = rng.random()
    if r < 0.65:
        for _ in range(rng.randint(1, 2)):
            paras.insert(rng.randint(1, len(paras)), rng.choice(LIGHT_FURNITURE))
    if r >= 0.4:
        short = [i for i in range(1, len(paras)) if len(paras[i].split()) <= 30]
        if short:
            i = rng.choice(short)
            paras.insert(min(len(paras), i + rng.randint(1, 3)), paras[i])
    return "\n\n".join(paras)


class Thesaurus:
    """MyThes (OpenOffice) thesaurus: word -> list of synonym lists (one per sense)."""

    def __init__(self, path: Path = THESAURUS):
        if not path.exists():
            sys.exit(
                f"error: thesaurus {path} not found; install it with "
                "`apt-get update && apt-get install -y mythes-en-us` or pass --thesaurus"
            )
        from detector.families.spin import plain_senses

        # word -> its senses' plain synonyms: what the spinning ratio models a spinner drawing from
        self.senses: dict[str, list[list[str]]] = plain_senses(path)

    def synonym(self, word: str, rng: random.Random) -> str | None:
        senses = self.senses.get(word.lower())
        if not senses:
            return None
        # spinners favour the first listed sense but often pick a wrong one
        sense = senses[0] if rng.random() < 0.6 else rng.choice(senses)
        return rng.choice(sense)


def _spin(text: str, rng: random.Random, thes: Thesaurus, rate: float) -> str:
    def repl(m: re.Match) -> str:
        w = m.group()
        if len(w) < 4 or w.lower() in STOP or w[0].isupper() or rng.random() >= rate:
            return w
        s = thes.synonym(w, rng)
        return s if s else w

    lines = text.split("\n")
    # keep the title line; spin the body
    return "\n".join([lines[0]] + [WORD_RE.sub(repl, ln) for ln in lines[1:]])


def op_spin(text: str, rng: random.Random, thesaurus: Thesaurus = None, **_) -> str:
    return _spin(text, rng, thesaurus, rng.uniform(0.15, 0.4))


def load_lexicon(shared: Path) -> list[tuple[re.Pattern, str]]:
    out = []
    with open(shared / "spinning" / "tortured_phrases_train.jsonl", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            exp = re.sub(r"\(.*?\)|\[.*?\]|\?", "", r.get("expected") or "").strip()
            if r.get("match_type") != "exact" or r.get("unparsed") or not exp or not r.get("phrase"):
                continue
            if len(exp) < 4 or not re.fullmatch(r"[A-Za-z][A-Za-z \-']*", exp):
                continue
            out.append((re.compile(rf"\b{re.escape(exp.lower())}\b", re.I), r["phrase"]))
    return out


def op_tortured(text: str, rng: random.Random, lexicon=(), thesaurus: Thesaurus = None, **_) -> str:
    lines = text.split("\n")
    body = "\n".join(lines[1:])
    hits = 0
    for pat, phrase in lexicon:
        if pat.search(body):

            def repl(m, phrase=phrase):
                nonlocal hits
                if rng.random() < 0.8:
                    hits += 1
                    return phrase
                return m.group()

            body = pat.sub(repl, body)
    text = lines[0] + "\n" + body
    return _spin(text, rng, thesaurus, 0.06 if hits >= 3 else 0.12)


OPS = {
    "repeat": op_repeat,
    "duplicate": op_duplicate,
    "names": op_names,
    "broken": op_broken,
    "boilerplate": op_boilerplate,
    "spin": op_spin,
    "tortured": op_tortured,
    "mixed": op_mixed,
}


def pasted_twice(orig: str, bad: str) -> bool:
    return len(bad) >= 2 * len(orig) and bad.startswith(orig) and bad.endswith(orig)


def bad_rows(orig: str, bad: str, source: str, group: str, soft: bool) -> list[dict]:
    if soft and pasted_twice(orig, bad):
        src = source.rsplit("/", 1)[0] + "/" + source.rsplit("/", 1)[1].replace("duplicate", "pasted-twice")
        return [
            {"text": bad, "label": 1, "source": src, "group": group, "weight": PASTED_TWICE_P},
            {"text": bad, "label": 0, "source": src, "group": group, "weight": round(1 - PASTED_TWICE_P, 3)},
        ]
    return [{"text": bad, "label": 1, "source": source, "group": group}]


def clean_row(text: str, rng: random.Random, source: str, group: str) -> dict:
    """A label-0 row; FURNITURE_SHARE of them carry light page furniture (``<source>+furniture``)."""
    if rng.random() < FURNITURE_SHARE:
        return {"text": op_light_furniture(text, rng), "label": 0, "source": f"{source}+furniture", "group": group}
    return {"text": text, "label": 0, "source": source, "group": group}


def synthetic_rows(bbc: list[dict], rng: random.Random, shared: Path, thesaurus_path: Path, tag: str,
                   prefer_detectable: bool = False, variants: int = 0):
    """``variants`` = 0 (test split): each article used once, CLEAN_SHARE clean, the rest one
    operator each. ``variants`` = k > 0 (training): every article gives a clean row plus k
    corrupted variants with different operators (all in the article's group)."""
    thesaurus = Thesaurus(thesaurus_path)
    lexicon = load_lexicon(shared)
    titles = [r["title"].strip() for r in bbc]
    order = list(bbc)
    rng.shuffle(order)
    n_clean = 0 if variants else int(round(len(order) * CLEAN_SHARE))
    rows = []
    n_op = 0
    for k, r in enumerate(order):
        text = bbc_text(r)
        group = f"bbc:{r['dup_group']}"
        if k < n_clean or variants:
            rows.append(clean_row(text, rng, f"{tag}/clean", group))
            if not variants:
                continue
        for _ in range(max(1, variants)):
            op = OPERATORS[n_op % len(OPERATORS)]
            n_op += 1
            bad = OPS[op](text, rng, thesaurus=thesaurus, lexicon=lexicon, other_titles=titles,
                          prefer_detectable=prefer_detectable)
            if bad == text:  # operator found nothing to change: fall back to broken sentences
                op, bad = "broken", op_broken(text, rng)
            rows.extend(bad_rows(text, bad, f"{tag}/{op}", group, soft=prefer_detectable))
    return rows


def balance_weights(rows: list[dict]) -> None:
    """Give the BBC and the WMT halves of a training set the same total weight (in place)."""
    tot = Counter()
    for r in rows:
        tot[r["source"].startswith("bbc")] += r.get("weight", 1.0)
    if not tot[True] or not tot[False]:
        return
    scale = tot[True] / tot[False]
    for r in rows:
        if not r["source"].startswith("bbc"):
            r["weight"] = round(r.get("weight", 1.0) * scale, 4)


# --------------------------------------------------------------------------------------------
# MT
# --------------------------------------------------------------------------------------------
def mt_layout(text: str, group: str) -> str:
    """Lay a WMT document out like a news article: first segment = headline, then paragraphs of
    1-3 segments separated by blank lines (seeded by the group, so every record of one source
    document gets the same layout)."""
    segs = [x.strip() for x in text.split("\n") if x.strip()]
    r = random.Random(group)
    paras, i = [], 1
    while i < len(segs):
        k = r.randint(1, 3)
        take = segs[i : i + k]
        # a subheading (a short segment without closing punctuation) stands alone, as on a page;
        # glued to a paragraph it read as a sentence cut off (BRK005) in clean references
        cut = next((j for j, x in enumerate(take) if _is_subheading(x)), None)
        if cut is not None:
            take = take[: max(cut, 1)]
        paras.append(" ".join(take))
        i += len(take)
    return "\n\n".join(segs[:1] + paras)


def _is_subheading(segment: str) -> bool:
    return len(segment.split()) <= 15 and not segment.rstrip().endswith(tuple(".!?…:;\"”'’)]"))


def mt_rows(shared: Path, sets, rng: random.Random, cap: int | None, corrupt_refs: dict | None = None,
            da_threshold: float = DA_THRESHOLD, part: str | None = None):
    """MT rows. ``corrupt_refs`` (training only): operator kwargs; then a third of the reference
    documents get one synthetic corruption (label 1) instead of staying clean, so the synthetic
    artifacts are not tied to the BBC domain."""
    rows = []
    n_ref = 0
    for fname, lp in sets:
        by_doc: dict[tuple, list[dict]] = {}
        with open(shared / "mt" / fname, encoding="utf-8") as fh:
            for line in fh:
                r = json.loads(line)
                if lp is not None and r["lp"] != lp:
                    continue
                if r["lp"] == "uk-en" and r["n_segments"] < 8:
                    continue
                if len(r["text"].split()) < MIN_WORDS:
                    continue
                by_doc.setdefault((r["corpus"], r["lp"], r["doc_id"]), []).append(r)
        for key, recs in by_doc.items():
            group = "mt:" + ":".join(str(x) for x in key)
            if part is not None and half(group) != part:
                continue
            tag = f"{recs[0]['corpus'].split('-')[0]}-{key[1]}"
            pos = []
            for r in recs:
                text = mt_layout(r["text"], group)
                if r["kind"] == "reference":
                    n_ref += 1
                    if corrupt_refs is not None and n_ref % 3 == 0:
                        op = OPERATORS[(n_ref // 3) % len(OPERATORS)]
                        bad = OPS[op](text, rng, **corrupt_refs)
                        if bad == text:
                            op, bad = "broken", op_broken(text, rng)
                        rows.extend(bad_rows(text, bad, f"{tag}/ref+{op}", group, soft=True))
                    else:
                        rows.append(clean_row(text, rng, f"{tag}/ref", group) if corrupt_refs is not None
                                    else {"text": text, "label": 0, "source": f"{tag}/ref", "group": group})
                elif r["year"] == 2017:
                    if r["system"] in LOW_WMT17:
                        pos.append(r)
                elif r["score"] is not None and r["score"] < da_threshold:
                    pos.append(r)
            if cap is not None and len(pos) > cap:
                pos = rng.sample(pos, cap)
            for r in pos:
                rows.append({"text": mt_layout(r["text"], group), "label": 1, "source": f"{tag}/mt", "group": group})
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", choices=("train", "test"), default="train")
    ap.add_argument("--only", choices=("all", "synthetic", "mt"), default="all")
    ap.add_argument("--shared", help="shared data folder (default $DETECTOR_SHARED_DATA or ../shared/data)")
    ap.add_argument("--thesaurus", default=str(THESAURUS), help="MyThes .dat file (mythes-en-us)")
    ap.add_argument("--out", help="output JSONL (default build/dataset-<split>[-<only>].jsonl)")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--da-threshold", type=float, default=DA_THRESHOLD,
                    help="WMT21/22 system documents with doc DA below this are label 1; the others are "
                    "not used (default 50; the 'poor' evaluation rule uses 30, see data/README.md)")
    ap.add_argument("--limit", type=int, default=0, help="keep at most N rows (seeded sample; for quick tests)")
    args = ap.parse_args(argv)
    shared = shared_dir(args.shared)
    rng = random.Random(f"{args.seed}:{args.split}")
    rows = []
    if args.only in ("all", "synthetic"):
        bbc = load_bbc(shared, args.split, part="model" if args.split == "train" else None)
        rows += synthetic_rows(bbc, rng, shared, Path(args.thesaurus), f"bbc-{args.split}",
                               prefer_detectable=args.split == "train",
                               variants=VARIANTS_TRAIN if args.split == "train" else 0)
    if args.only in ("all", "mt"):
        if args.split == "train":
            bbc_titles = [r["title"].strip() for r in load_bbc(shared, "train", part="model")]
            kw = {"thesaurus": Thesaurus(Path(args.thesaurus)), "lexicon": load_lexicon(shared),
                  "other_titles": bbc_titles, "prefer_detectable": True}
            rows += mt_rows(shared, MT_TRAIN, rng, MAX_SYS_PER_DOC_TRAIN, corrupt_refs=kw, part="model")
            rows += news_rows(shared, rng, Path(args.thesaurus), bbc_titles)
        else:
            rows += mt_rows(shared, MT_HELDOUT, rng, None, da_threshold=args.da_threshold)
    if args.split == "train" and args.only == "all":
        balance_weights(rows)
    if args.limit and len(rows) > args.limit:
        rows = rng.sample(rows, args.limit)
    suffix = "" if args.only == "all" else f"-{args.only}"
    if args.da_threshold != DA_THRESHOLD:
        suffix += f"-da{args.da_threshold:g}"
    out = Path(args.out or REPO / "build" / f"dataset-{args.split}{suffix}.jsonl")
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    counts = Counter((r["source"], r["label"]) for r in rows)
    print(f"wrote {len(rows)} rows to {out}  (label 1: {sum(r['label'] for r in rows)})")
    for (src, lab), n in sorted(counts.items()):
        print(f"  {src:<28} label={lab}  {n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
