"""Name forms: folding a token, the core tokens of a name, tidying a raw gazetteer entry."""

from __future__ import annotations

import re
import unicodedata
from hashlib import blake2b

# Lower-case words that may sit inside a name ("Mohammed bin Salman", "Ursula von der Leyen").
PARTICLES = frozenset(
    "al el ad ash as at az ar bin bint ibn ben von van der den de da dos das du la le di del della ter ten y e".split()
)
SUFFIXES = frozenset("jr sr ii iii iv".split())
# Prominence of target people: curated and user entries and the US executive get PROMINENT;
# members of Congress US_CONGRESS; legislators their number of labels in non-Latin scripts
# (3 to about 35: a head of government has 15+).
PROMINENT = 100
US_CONGRESS = 8
# Words stripped from the start of gazetteer entries ("Mr. KAMAGATE MAMADOU").
TITLES = frozenset(
    """mr mrs ms miss dr prof sir dame lord lady hon honourable honorable rev sheikh shaikh sayyed
    sayyid ayatollah deputada deputado senador senadora dep sen rep gen""".split()
)

# First names whose spellings are transliterations of one name (not misspellings of each other).
# Each group is mapped to its first member before any comparison.
FIRST_NAME_GROUPS = """
mohammed mohammad muhammad mohamed mohamad muhammed mohammud mohamud muhamad mehmet mehmed
mahmoud mahmud mahmood
ahmed ahmad ahmet
hussein husain hussain husayn hussien hossein hosein huseyin
hassan hasan
abdel abdul abd abdal abdol
abdullah abdallah abdulla abdollah
abdulrahman abdelrahman abdurrahman abderrahmane abdulrahmane
youssef yousef yusuf yousif yusef youssif yosef
omar umar
osama usama
mustafa moustafa mostafa mustapha
ibrahim ebrahim
ismail ismael esmail
said saeed sayed saied saeid
khaled khalid
walid waleed
jamal gamal
naim naeem
karim kareem
faisal faysal feisal
yahya yehia yahia yehya
yasser yasir yassir
riyad riad
ziyad ziad
qassem qasem kassem qasim qassim ghasem
massoud masoud masud
sergei sergey serhiy serhii sergej
dmitry dmitri dmytro dmitriy dmitrii
yuri yury yuriy yurii
aleksandr alexander oleksandr aleksander alexandr aliaksandr alyaksandr
alexei alexey aleksei oleksii oleksiy aleksey
andrei andrey andriy andrii andrej
nikolai nikolay mykola
yevgeny evgeny yevgeniy evgeni yevgeni
vladimir volodymyr wladimir volodimir
mikhail mykhailo
valery valeri valerii valeriy
vitaly vitali vitaliy vitalii
anatoly anatoli anatolii anatoliy
oleg oleh
igor ihor
denis denys
kirill kyrylo
pyotr petro
grigory grigori hryhoriy
maria mariya
yulia yuliya yuliia iuliia
tatiana tatyana
natalia natalya nataliya
olena elena yelena alena
svetlana sviatlana
binyamin benjamin
yitzhak itzhak
"""
_FIRST_CANON: dict[str, str] = {}
for _line in FIRST_NAME_GROUPS.strip().splitlines():
    _g = _line.split()
    for _w in _g:
        _FIRST_CANON.setdefault(_w, _g[0])

_SPECIAL = str.maketrans(
    {
        "ø": "o",
        "Ø": "o",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ı": "i",
        "þ": "th",
        "ð": "d",
        "’": "",
        "'": "",
        "‘": "",
        "`": "",
        "ʼ": "",
        "ʻ": "",
        ".": "",
    }
)
_SPLIT_RE = re.compile(r"[\s\-‐‑–—_/]+")
_PAREN_RE = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_LATIN_RE = re.compile(r"^[A-Za-z\u00C0-\u024F\u1E00-\u1EFF .,'’‐\-‑()]+$")


def fold(token: str) -> str:
    """Case-, accent- and apostrophe-insensitive key of one token."""
    if token.isascii():
        t = token.lower()
        if "." in t or "'" in t or "`" in t:
            t = t.replace(".", "").replace("'", "").replace("`", "")
        return t
    t = token.translate(_SPECIAL)
    if not t.isascii():
        t = "".join(c for c in unicodedata.normalize("NFKD", t) if not unicodedata.combining(c))
    return t.casefold()


def first_canon(token: str) -> str:
    return _FIRST_CANON.get(token, token)


def core_tokens(keys: list[str]) -> list[str]:
    """Folded tokens of a name -> the tokens that identify it: particles (except in first
    position), middle initials and generational suffixes dropped; runs of single letters at the
    start joined ("J. D. Vance" == "JD Vance"); the first name mapped to its transliteration group."""
    toks = [k for k in keys if k]
    if not toks:
        return []
    # join leading initials
    i = 0
    while i < len(toks) and len(toks[i]) == 1:
        i += 1
    if i >= 2:
        toks = ["".join(toks[:i])] + toks[i:]
    out = [toks[0]]
    for t in toks[1:]:
        if t in PARTICLES or len(t) == 1:
            continue
        out.append(t)
    while len(out) > 1 and out[-1] in SUFFIXES:
        out.pop()
    out[0] = first_canon(out[0])
    return out


def name_core(name: str) -> list[str]:
    return core_tokens([fold(p) for p in _SPLIT_RE.split(name.strip())])


def clean_entry(name: str) -> str | None:
    """Tidy a raw gazetteer name: drop brackets and leading titles, turn "Last, First" around.
    Returns None for names not in Latin script."""
    name = _PAREN_RE.sub(" ", name).strip()
    if not name or not _LATIN_RE.match(name):
        return None
    if name.count(",") == 1:
        last, first = (p.strip() for p in name.split(","))
        if first and last and not first.lower().startswith(("jr", "sr")):
            name = f"{first} {last}"
        else:
            name = name.replace(",", " ")
    name = name.replace(",", " ")
    parts = name.split()
    while parts and fold(parts[0]) in TITLES:
        parts = parts[1:]
    return " ".join(parts) if len(parts) >= 2 else None


def key_hash(key: str) -> int:
    """Stable 64-bit hash of a key (the shared known-spelling table stores only hashes)."""
    return int.from_bytes(blake2b(key.encode(), digest_size=8).digest(), "little")


