"""NAM001: near miss of a known person's name ("Anthony Blinken" -> "Antony Blinken").

Flagged: an observed full name that is not a known spelling of anyone, one of whose first/last
tokens equals a gazetteer target's and the other is one or two edits away (same initial), when
the match is unambiguous among *all* known spellings and the name is unlikely to be some other
person (the surname is rare when the first names differ; the first name is rare, or the observed
surname unheard of, when the surnames differ). A *slip* in a prominent target's name
(prominence >= ``slip_prominence``) is flagged whatever the other token when the differing token
is nobody's name in the shared lists ("Daid Cameron", "Gordon Brow", "Joe Bide").

Not flagged: real names near a known one ("John Kerr", "Kamal Harris"); attested variants
(gazetteer lines, transliteration groups of first names, accents, hyphens, particles, middle
initials); a near miss of two people at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from ... import gazetteer as gz
from ... import settings
from .knobs import NameSettings
from .lookups import (
    _first_people,
    _last_people,
    _person_pairs,
    _raw_first,
    _unknown_first,
    _unknown_last,
    similar,
    slip,
)
from .tokens import STOP, Tok


@dataclass(slots=True)
class NearMiss:
    which: str  # "first" or "last": the token that differs
    pid: int
    form: str  # target display spelling
    target_key: str  # the target's folded token
    slip: bool = False  # the observed token is no known name and the target is prominent


def near_miss(g: gz.Gazetteer, core: list[str]) -> NearMiss | None:
    """The known person this (unknown) name is a near miss of, or None."""
    cfg = settings.get(NameSettings)
    f, last = core[0], core[-1]
    cands: list[NearMiss] = []
    by_last = g.t_by_last.get(last, ())
    by_first = g.t_by_first.get(f, ())
    f_slip = bool(by_last) and _unknown_first(g, f)
    l_slip = bool(by_first) and _unknown_last(g, last)
    if f in STOP:
        return None
    for tf, pid, form in by_last:
        s = f_slip and g.prominent(pid, cfg.slip_prominence) and (slip(f, tf, 2) or slip(f, _raw_first(form), 2))
        if s or similar(f, tf):
            cands.append(NearMiss("first", pid, form, tf, s))
    for tl, pid, form in by_first:
        s = l_slip and g.prominent(pid, cfg.slip_prominence) and slip(last, tl, 4)
        if s or similar(last, tl):
            cands.append(NearMiss("last", pid, form, tl, s))
    if not cands:
        return None
    if g.is_known(" ".join(core)) or g.is_known(f"{f} {last}"):
        return None
    # one correction, one person
    pid = cands[0].pid
    pairs = _person_pairs(g, pid)
    for c in cands[1:]:
        if c.pid != pid and not (_person_pairs(g, c.pid) & pairs):
            return None
        pairs = pairs | _person_pairs(g, c.pid)
    # no other known spelling (of anyone) equally near; for a slip, spellings one letter from
    # the target's own are taken for variants of it ("Ed Milibrand" for Ed Miliband)
    sl = next((x for x in cands if x.slip), None)
    for tl in g.lasts_of(f):
        if (similar(last, tl) or l_slip and slip(last, tl, 4)) and f"{f} {tl}" not in pairs:
            if sl is None or sl.which != "last" or not slip(tl, sl.target_key, 4):
                return None
    for tf in g.firsts_of(last):
        if (similar(f, tf) or f_slip and slip(f, tf, 3)) and f"{tf} {last}" not in pairs:
            if sl is None or sl.which != "first" or not slip(tf, sl.target_key, 3):
                return None
    if sl is not None:
        return sl
    c = cands[0]
    if c.which == "first":
        if _last_people(g, last) > cfg.max_surname_people:
            return None
    else:
        limit = cfg.max_first_people_known_surname if _last_people(g, last) else cfg.max_first_people_unknown
        if _first_people(g, f) > limit:
            return None
    return c


def _may_near(g: gz.Gazetteer, toks: list[Tok]) -> bool:
    """Can any window of this run be a near miss (a token equal to a target's first or last)?"""
    tf, tl = g.t_by_first, g.t_by_last
    for t in toks:
        for k in t.keys:
            if k in tl or gz.first_canon(k) in tf:
                return True
    return False
