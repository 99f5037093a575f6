"""Rule settings: every detection threshold as a documented, named setting.

Each family keeps its knobs in one frozen dataclass, declared beside the rules that read them
(the way datatrove's filters take theirs as constructor arguments), with a one-line *source* per
field: where the value comes from (measured on which data, a published recipe, a convention).
Defaults are the values the rules were tuned with.

    >>> from detector import settings
    >>> settings.get_family("duplicate-block").near_ratio
    90.0
    >>> with settings.using({"duplicate-block": {"near_ratio": 95}}):
    ...     settings.get_family("duplicate-block").near_ratio
    95.0

Reading the values: a rule calls :func:`get` with its settings class and receives the instance
active in the current context (:func:`using`, a ``contextvars`` context, so concurrent threads and
asyncio tasks each see their own), or the defaults. The command line sets them from the
configuration file (``[settings.<family>]`` in ``detector.toml``, ``[tool.detector.settings.<family>]``
in ``pyproject.toml``); ``detector codes --settings`` prints them. The active values are part of
the evidence-cache fingerprint (:func:`fingerprint`), so cached evidence computed with other
settings is never reused.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from types import MappingProxyType
from typing import Any

# family name -> "detector.families.<module>" that declares its settings class (imported on demand)
MODULES = {
    "repetition": "detector.families.repetition",
    "duplicate-block": "detector.families.duplicates",
    "boilerplate": "detector.families.boilerplate",
    "readability": "detector.families.readability",
    "language": "detector.language",
    "name": "detector.families.names.knobs",
    "fluency": "detector.families.collocation",
}

_CLASSES: dict[str, type] = {}
_DEFAULTS: dict[type, Any] = {}
_ACTIVE: ContextVar[Mapping[str, Any]] = ContextVar("detector_settings", default=MappingProxyType({}))


class SettingsError(ValueError):
    """An unknown family or setting, or a value of the wrong kind."""


def knob(default: Any, source: str) -> Any:
    """A settings field with its default and one line saying where the value comes from."""
    return dataclasses.field(default=default, metadata={"source": source})


def register(family: str):
    """Class decorator: ``cls`` (a frozen dataclass of knobs) holds ``family``'s settings."""

    def deco(cls: type) -> type:
        cls.FAMILY = family
        _CLASSES[family] = cls
        return cls

    return deco


def _load_all() -> dict[str, type]:
    for module in MODULES.values():
        importlib.import_module(module)
    return dict(sorted(_CLASSES.items()))


def classes() -> dict[str, type]:
    """Every family's settings class, by family name."""
    return _load_all()


def get(cls: type) -> Any:
    """The active settings of ``cls``'s family: the instance set by :func:`using`, or defaults."""
    inst = _ACTIVE.get().get(cls.FAMILY)
    if inst is not None:
        return inst
    d = _DEFAULTS.get(cls)
    if d is None:
        d = _DEFAULTS[cls] = cls()
    return d


def get_family(family: str) -> Any:
    cls = _load_all().get(family)
    if cls is None:
        raise SettingsError(f"unknown settings family {family!r} (known: {', '.join(_load_all())})")
    return get(cls)


def _coerce(family: str, f: dataclasses.Field, value: Any) -> Any:
    kind = type(f.default)
    where = f"{family}.{f.name}"
    if kind is bool:
        if not isinstance(value, bool):
            raise SettingsError(f"{where} must be true or false, not {value!r}")
        return value
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise SettingsError(f"{where} must be an integer, not {value!r}")
        return value
    if kind is float:
        if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
            raise SettingsError(f"{where} must be a number, not {value!r}")
        return float(value)
    if not isinstance(value, kind):
        raise SettingsError(f"{where} must be {kind.__name__}, not {value!r}")
    return value


def build(overrides: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """Validated settings instances for ``{family: {name: value}}`` (names may use ``-`` for
    ``_``). Raises :class:`SettingsError` naming the family and key on a bad entry."""
    known = _load_all()
    out: dict[str, Any] = {}
    for family, values in overrides.items():
        cls = known.get(family)
        if cls is None:
            raise SettingsError(f"unknown settings family {family!r} (known: {', '.join(known)})")
        if not isinstance(values, Mapping):
            raise SettingsError(f"settings.{family} must be a table of values")
        fields = {f.name: f for f in dataclasses.fields(cls)}
        kw = {}
        for key, value in values.items():
            name = str(key).replace("-", "_")
            f = fields.get(name)
            if f is None:
                raise SettingsError(f"unknown setting {family}.{key} (known: {', '.join(n.replace('_', '-') for n in fields)})")
            kw[name] = _coerce(family, f, value)
        if kw:
            out[family] = cls(**kw)
    return out


@contextmanager
def using(overrides: Mapping[str, Mapping[str, Any]] | None) -> Iterator[None]:
    """Run the block with these settings (``{family: {name: value}}``) on top of the ones active."""
    merged = dict(_ACTIVE.get())
    for family, inst in build(overrides or {}).items():
        prev = merged.get(family)
        merged[family] = dataclasses.replace(prev, **_changed(inst)) if prev is not None else inst
    token = _ACTIVE.set(merged)
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def activate(snapshot: Mapping[str, Mapping[str, Any]] | None) -> None:
    """Make ``snapshot`` (see :func:`snapshot`) the settings of the current context for good: for
    a worker process or thread that runs tasks on behalf of a caller's context (the ``--jobs``
    pool, Dask workers). Everything not in it is at its default."""
    _ACTIVE.set(build(snapshot or {}))


def _changed(inst: Any) -> dict[str, Any]:
    return {f.name: getattr(inst, f.name) for f in dataclasses.fields(inst) if getattr(inst, f.name) != f.default}


def snapshot() -> dict[str, dict[str, Any]]:
    """The active non-default values, ``{family: {name: value}}`` (plain data: picklable, so a
    worker process can re-create the context with :func:`using`)."""
    out = {}
    for family, inst in sorted(_ACTIVE.get().items()):
        changed = _changed(inst)
        if changed:
            out[family] = changed
    return out


def fingerprint() -> str:
    """A short string that changes whenever an active value differs from its default."""
    snap = snapshot()
    return repr(sorted((fam, sorted(v.items())) for fam, v in snap.items())) if snap else ""


def describe() -> list[dict[str, Any]]:
    """One row per setting: family, name, value (active), default, source."""
    rows = []
    for family, cls in _load_all().items():
        active = get(cls)
        for f in dataclasses.fields(cls):
            rows.append(
                {
                    "family": family,
                    "name": f.name.replace("_", "-"),
                    "value": getattr(active, f.name),
                    "default": f.default,
                    "source": f.metadata.get("source", ""),
                }
            )
    return rows
