"""Configuration files: ``[tool.detector]`` in ``pyproject.toml``, or top-level keys in
``detector.toml``, found by walking up from the first input's folder (as ruff does).

:func:`resolve` merges defaults, the file and the command line (in that order, later wins) into a
:class:`Settings` that also records where each value came from.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from . import settings as rule_settings
from .findings import SEVERITIES
from .selection import Selection, SelectionError

GRAMMAR_MODES = ("auto", "off", "require")
SCORE_FAIL_ON = ("reject", "review", "never")
CHECK_FAIL_ON = (*SEVERITIES, "never")

# key -> (default, kind)
KEYS: dict[str, tuple[object, str]] = {
    "select": (["ALL"], "list"),
    "ignore": ([], "list"),
    "extend-select": ([], "list"),
    "min-severity": ("info", "severity"),
    "fail-on": ("never", "fail-on"),
    "check-fail-on": ("warning", "check-fail-on"),
    "names": ([], "paths"),
    "grammar": ("auto", "grammar"),
    "languagetool-url": (None, "str"),
    "encoding": (None, "str"),
    "max-bytes": (5_000_000, "int"),
    # verdict cut-offs on reliability instead of the model's own (score and triage; None = the model's)
    "ok-threshold": (None, "share"),
    "reject-threshold": (None, "share"),
    # rule thresholds, {family: {setting: value}} (detector.settings; `detector codes --settings`)
    "settings": ({}, "settings"),
}


class ConfigError(ValueError):
    """A configuration file that cannot be used (the message names the file and the key)."""


@dataclass
class Settings:
    values: dict[str, object]
    sources: dict[str, str]
    config_file: Path | None = None
    extra: dict = field(default_factory=dict)

    def __getitem__(self, key: str):
        return self.values[key]

    def selection(self) -> Selection:
        return Selection.build(
            self.values["select"], self.values["ignore"], self.values["extend-select"], self.values["min-severity"]
        )


def find_config(start: str | os.PathLike) -> Path | None:
    """The nearest ``detector.toml``, or ``pyproject.toml`` with a ``[tool.detector]`` table, in
    ``start`` (a folder, or a file's folder) or any folder above it, up to the filesystem root.
    In one folder ``detector.toml`` wins."""
    p = Path(start).absolute()
    if not p.is_dir():
        p = p.parent
    for folder in (p, *p.parents):
        cand = folder / "detector.toml"
        if cand.is_file():
            return cand
        cand = folder / "pyproject.toml"
        if cand.is_file():
            try:
                with open(cand, "rb") as fh:
                    data = tomllib.load(fh)
            except (OSError, ValueError):  # TOMLDecodeError, UnicodeDecodeError (binary file)
                continue  # not ours to judge: a broken pyproject.toml that may not mention us
            if isinstance(data.get("tool"), dict) and "detector" in data["tool"]:
                return cand
    return None


def _check(path: Path, key: str, value, kind: str):
    where = f"{path}: {key}"
    if kind in ("list", "paths"):
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: expected a list of strings")
        if kind == "paths":
            return [str((path.parent / v).resolve()) if not os.path.isabs(v) else v for v in value]
        return value
    if kind == "share":
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0.0 < float(value) <= 1.0:
            raise ConfigError(f"{where}: expected a number in (0, 1]")
        return float(value)
    if kind == "int":
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            raise ConfigError(f"{where}: expected a positive integer")
        return value
    if kind == "settings":
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: expected a table of [settings.<family>] tables")
        try:
            rule_settings.build(value)
        except rule_settings.SettingsError as e:
            raise ConfigError(f"{where}: {e}") from None
        return value
    if not isinstance(value, str):
        raise ConfigError(f"{where}: expected a string")
    allowed = {
        "severity": SEVERITIES,
        "fail-on": SCORE_FAIL_ON,
        "check-fail-on": CHECK_FAIL_ON,
        "grammar": GRAMMAR_MODES,
    }.get(kind)
    if allowed and value not in allowed:
        raise ConfigError(f"{where}: {value!r} is not one of {', '.join(allowed)}")
    return value


def load_config(path: str | os.PathLike) -> dict[str, object]:
    """The validated settings of one file (``pyproject.toml``: its ``[tool.detector]`` table)."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except OSError as e:
        raise ConfigError(f"{path}: cannot be read ({e.strerror or e})") from None
    except UnicodeDecodeError as e:
        raise ConfigError(f"{path}: not UTF-8 text (byte {e.start})") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: not valid TOML ({e})") from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("detector", {})
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: [tool.detector] must be a table")
    out = {}
    for key, value in data.items():
        if key not in KEYS:
            raise ConfigError(f"{path}: unknown key {key!r} (known: {', '.join(KEYS)})")
        out[key] = _check(path, key, value, KEYS[key][1])
    for key in ("select", "ignore", "extend-select"):
        try:
            Selection.build(**{key.replace("-", "_"): out.get(key)})
        except SelectionError as e:
            raise ConfigError(f"{path}: {key}: {e}") from None
    return out


def resolve(
    cli: dict[str, object],
    *,
    inputs: list[str] = (),
    config: str | None = None,
    isolated: bool = False,
    cli_sources: dict[str, str] | None = None,
) -> Settings:
    """Defaults, then the configuration file (``config``, else the one found from the first input
    that is a path, else from the current folder; none with ``isolated``), then ``cli`` (keys whose
    value is None were not given). ``cli_sources`` names where a given value came from (default
    ``command line``)."""
    values = {k: v for k, (v, _) in KEYS.items()}
    sources = dict.fromkeys(KEYS, "default")
    path: Path | None = None
    if config is not None:
        path = Path(config)
    elif not isolated:
        start = next((i for i in inputs if i != "-" and os.path.exists(i)), None)
        if start is None:  # globs, '-' or missing files: start where a glob is anchored, or here
            start = next((os.path.dirname(i) or "." for i in inputs if i != "-"), ".")
            if not os.path.isdir(start):
                start = "."
        path = find_config(start)
    if path is not None:
        for k, v in load_config(path).items():
            values[k], sources[k] = v, str(path)
    for k, v in cli.items():
        if k not in KEYS:
            raise KeyError(k)
        if v is not None:
            values[k] = v
            sources[k] = (cli_sources or {}).get(k, "command line")
    ok_cut, reject_cut = values["ok-threshold"], values["reject-threshold"]
    if (ok_cut is None) != (reject_cut is None):
        raise ConfigError(f"{path or 'settings'}: ok-threshold and reject-threshold go together")
    if ok_cut is not None and not reject_cut < ok_cut:
        raise ConfigError(f"{path or 'settings'}: reject-threshold ({reject_cut}) must be below ok-threshold ({ok_cut})")
    return Settings(values=values, sources=sources, config_file=path)
