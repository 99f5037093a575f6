"""Shared helpers of the name family: gazetteer look-ups (memoised) and spelling similarity."""

from __future__ import annotations

from rapidfuzz.distance import OSA

from ... import gazetteer as gz
from ... import settings
from ...memo import CappedMemo
from .knobs import NameSettings
from .tokens import _keys


def similar(a: str, b: str) -> bool:
    """Could ``a`` be a misspelling of ``b`` (two different folded tokens)? Same initial, one
    edit (two for tokens of 8+ letters), not a plural or adjective ending."""
    if a == b or not a or not b or a[0] != b[0]:
        return False
    la, lb = len(a), len(b)
    m = min(la, lb)
    if m < 4 or abs(la - lb) > 2:
        return False
    if slip_suffix(a, b):
        return False  # plural, possessive or derived word ("Lanka"/"Lankan")
    if la == lb and a[:-2] == b[:-2] and {a[-2:], b[-2:]} == {"re", "er"}:
        return False  # British/American spelling ("Centre"/"Center")
    d = OSA.distance(a, b, score_cutoff=2)
    return d == 1 or (d == 2 and m >= 8)


_SUFFIXES = frozenset(("s", "es", "n", "an", "i", "ns", "is", "er", "ers"))


def _person_pairs(g: gz.Gazetteer, pid: int) -> set[str]:
    """Pair keys of all spellings of one target person."""
    return g.person_pairs(pid)


def slip(a: str, b: str, min_len: int) -> bool:
    """Looser than :func:`similar`, for an observed token ``a`` that is nobody's name: a slip
    of one letter (two in 8+ letters) in ``b``, dropped or doubled last letters included
    ("Bide", "Bidenn"), but not a plural or possessive ending."""
    if a == b or not a or not b or a[0] != b[0]:
        return False
    la, lb = len(a), len(b)
    m = min(la, lb)
    if m < min_len or abs(la - lb) > 2:
        return False
    if la > lb and a.startswith(b) and a[lb:] in ("s", "es"):
        return False
    d = OSA.distance(a, b, score_cutoff=2)
    return d == 1 or (d == 2 and m >= 8)


def _raw_first(form: str) -> str:
    """The folded first token of a display form, before transliteration grouping."""
    k = _keys(form.split(" ", 1)[0])
    return k[0] if k else ""


def _unknown_first(g: gz.Gazetteer, f: str) -> bool:
    """Is ``f`` no (known, common) first name: "Daid", "Bris", "Hillari"? Only the shared
    legislator lists know enough names to tell."""
    cfg = settings.get(NameSettings)
    return g.shared and f not in COMMON_FIRST and len(f) >= 3 and _first_n(g, f) <= cfg.max_slip_first_people


def _unknown_last(g: gz.Gazetteer, last: str) -> bool:
    """Is ``last`` nobody's surname: "Krery", "Prescot", "Blinke"?"""
    cfg = settings.get(NameSettings)
    return (
        g.shared and last not in COMMON_LAST and len(last) >= 4 and _last_n(g, last) <= cfg.max_slip_last_people
    )


def _first_n(g: gz.Gazetteer, f: str) -> int:
    return _memo(g, "fn", f, g.first_count)


def _last_n(g: gz.Gazetteer, last: str) -> int:
    return _memo(g, "ln", last, g.last_count)


# Without the shared legislator lists the gazetteer knows too few people to tell a rare name
# from a common one; these everyday English-language names then count as common.
COMMON_FIRST = frozenset(
    """
    james john robert michael william david richard joseph thomas charles christopher daniel
    matthew anthony mark donald steven paul andrew joshua kenneth kevin brian george edward
    ronald timothy jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin
    scott brandon benjamin samuel frank gregory raymond alexander patrick jack dennis jerry
    tyler aaron henry adam douglas nathan peter zachary kyle walter harold jeremy ethan carl
    keith roger gerald christian terry sean arthur austin noah lawrence jesse joe bryan billy
    jordan albert dylan bruce willie gabriel alan logan wayne ralph roy eugene randy vincent
    russell louis philip bobby johnny bradley mary patricia jennifer linda elizabeth barbara
    susan jessica sarah karen nancy lisa betty margaret sandra ashley kimberly emily donna
    michelle dorothy carol amanda melissa deborah stephanie rebecca sharon laura cynthia
    kathleen amy shirley angela helen anna brenda pamela nicole emma samantha katherine
    christine debra rachel catherine carolyn janet ruth maria heather diane virginia julie
    joyce victoria olivia kelly christina lauren joan evelyn judith megan cheryl andrea hannah
    martha jacqueline frances gloria ann teresa kathryn sara janice jean alice doris julia
    judy grace denise marilyn danielle theresa sophia marie diana natalie charlotte rose ian
    tony mike tom jim bob bill dave chris steve tim nick dan ben sam alex matt andy pete ken
    jon simon neil graham colin martin gordon stuart hugh iain phil harry jamie lee
    """.split()
)
COMMON_LAST = frozenset(
    """
    smith johnson williams brown jones miller davis garcia rodriguez wilson martinez anderson
    taylor thomas hernandez moore martin jackson thompson white lopez lee gonzalez harris clark
    lewis robinson walker perez hall young allen sanchez wright king scott green baker adams
    nelson hill ramirez campbell mitchell roberts carter phillips evans turner torres parker
    collins edwards stewart flores morris nguyen murphy rivera cook rogers morgan peterson
    cooper reed bailey bell gomez kelly howard ward cox diaz richardson wood watson brooks
    bennett gray james reyes cruz hughes price myers long foster sanders ross morales powell
    sullivan russell ortiz jenkins perry butler barnes fisher henderson coleman simmons
    patterson jordan reynolds hamilton graham kim wallace griffin west cole hayes gibson bryant
    ellis stevens murray ford marshall owens mcdonald harrison kennedy wells woods webb tucker
    freeman burns henry snyder simpson crawford porter mason shaw gordon wagner hunter hicks
    dixon hunt palmer robertson black holmes stone meyer boyd mills warren fox rose rice
    schmidt patel ferguson nichols ryan weaver daniels stephens gardner payne dunn pierce
    arnold spencer peters hawkins grant hart elliott cunningham knight bradley wang li zhang
    liu chen yang huang zhao wu zhou khan ali ahmed hussain singh kumar sharma cohen levi
    """.split()
)


def _first_people(g: gz.Gazetteer, f: str) -> int:
    n = g.first_count(f)
    return n if g.shared or f not in COMMON_FIRST else max(n, 1000)


def _last_people(g: gz.Gazetteer, last: str) -> int:
    n = g.last_count(last)
    return n if g.shared or last not in COMMON_LAST else max(n, 1000)


def _is_given_name(g: gz.Gazetteer, k: str) -> bool:
    k = gz.first_canon(k)
    return k in COMMON_FIRST or _memo(g, "f", k, g.is_first_name)


def _is_known(g: gz.Gazetteer, key: str) -> bool:
    return _memo(g, "k", key, g.is_known)


_memo_store: dict = {}
_MISSING = object()


def _memo(g: gz.Gazetteer, kind: str, key, fn):
    """Memoised gazetteer look-ups (per gazetteer object and name settings, since some look-ups
    apply thresholds; bounded: :class:`CappedMemo`)."""
    cfg = settings.get(NameSettings)
    store = _memo_store.get(id(g))
    if store is None or store[0] is not g or store[2] is not cfg:
        _memo_store.clear()
        store = _memo_store[id(g)] = (g, CappedMemo(), cfg)
    memo = store[1]
    mk = (kind, key)
    v = memo.get(mk, _MISSING)
    if v is _MISSING:
        v = memo(mk, lambda _mk: fn(key))
    return v


def user_known(key: str) -> bool:
    """Is this folded word in the user's names files (``--names``, ``$DETECTOR_NAMES``)?"""
    return gz.get().is_user_token(key)


def slip_suffix(a: str, b: str) -> bool:
    """Do ``a`` and ``b`` differ only by an ending (a derived form, not a slip)?"""
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return long_.startswith(short) and long_[len(short) :] in _SUFFIXES


def _variant_pair(g: gz.Gazetteer, a: str, b: str) -> bool:
    """Are two pair keys spellings of the same target person?"""
    pa, pb = g.pair_pids.get(a), g.pair_pids.get(b)
    return bool(pa and pb and pa & pb)
