"""Rule settings (detector.settings): documented knobs, per-run values, validation, fingerprint."""

from __future__ import annotations

import dataclasses
import pickle
import threading

import pytest

from detector import config, evidence_cache, language, settings
from detector.families import boilerplate, duplicates, repetition

PARA = "The council said the new bridge would open to traffic in the spring after years of delay and argument."
NEAR = "The council said the new bridge would open to traffic in the spring after years of delay and arguments."


def _dups(text):
    return [f.code for f in duplicates.detect(text)]


def test_every_setting_has_a_source_and_a_typed_default():
    rows = settings.describe()
    families = {r["family"] for r in rows}
    assert {"duplicate-block", "repetition", "boilerplate", "language", "name", "fluency"} <= families
    for r in rows:
        assert r["source"].strip(), r
        assert r["value"] == r["default"]
        assert isinstance(r["default"], int | float)


def test_settings_objects_are_frozen():
    s = settings.get(duplicates.DuplicateSettings)
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.near_ratio = 10.0


def test_using_changes_what_a_rule_finds_and_restores_afterwards():
    text = f"{PARA}\n\nSomething else entirely happened later that week in the town.\n\n{NEAR}"
    assert _dups(text) == ["DUP001"]  # near-identical repeat at the default ratio (90)
    with settings.using({"duplicate-block": {"near-ratio": 99.9}}):
        assert settings.get_family("duplicate-block").near_ratio == 99.9
        assert _dups(text) == []
    assert _dups(text) == ["DUP001"]


def test_repetition_gap_setting():
    text = "Officials set out their intentions, their strategy, their intentions, and the talks went on."
    assert [f.code for f in repetition.detect(text)] == ["REP002"]  # two tokens between the copies
    with settings.using({"repetition": {"max_gap": 1, "max_loop_gap": 1}}):
        assert repetition.detect(text) == []


def test_boilerplate_length_setting():
    line = "Share this article on Facebook"
    text = f"{PARA}\n\n{line}\n\n{PARA.replace('bridge', 'tunnel')}"
    assert any(f.code.startswith("BOI") for f in boilerplate.detect(text))
    with settings.using({"boilerplate": {"max_furniture_words": 3}}):
        assert not any(f.code.startswith("BOI") for f in boilerplate.detect(text))


def test_language_setting():
    short = "die Regierung hat heute beschlossen"  # fewer running letters than the default needs
    assert language.identify(short) == ("en", 0.0)
    with settings.using({"language": {"min_letters": 10}}):
        assert language.identify(short)[0] != "en"


def test_name_settings_reach_memoised_look_ups():
    from detector.families import names

    text = "The talks in Madird ended. The club signed a winger from Hollwood Town last week."

    def slips():
        return sorted(text[f.start : f.end] for f in names.detect(text) if f.code == "NAM006")

    assert slips() == ["Hollwood", "Madird"]
    # "Madrid"/"Hollywood" are not frequent enough to count as known words at this cut-off; the
    # memoised look-ups must not answer with what they computed under the defaults
    with settings.using({"name": {"min_slip_target_logp": -5.0}}):
        assert slips() == []
    assert slips() == ["Hollwood", "Madird"]


def test_fluency_settings_reach_the_memoised_swap_rule():
    from detector.families import collocation

    text = "Officials warned that climate alteration would hurt farmers across the region this year."
    assert [x[2] for x in collocation.swapped_pairs(text)] == ["climate change"]
    with settings.using({"fluency": {"gain_min": 50.0}}):
        assert collocation.swapped_pairs(text) == []
    assert [x[2] for x in collocation.swapped_pairs(text)] == ["climate change"]


@pytest.mark.parametrize(
    "bad,match",
    [
        ({"no-such-family": {"x": 1}}, "unknown settings family"),
        ({"duplicate-block": {"no_such": 1}}, "unknown setting duplicate-block.no_such"),
        ({"duplicate-block": {"min_words": "four"}}, "must be an integer"),
        ({"duplicate-block": {"min_words": 4.5}}, "must be an integer"),
        ({"duplicate-block": {"near_ratio": True}}, "must be a number"),
        ({"duplicate-block": 3}, "must be a table"),
    ],
)
def test_bad_values_are_refused_with_the_key(bad, match):
    with pytest.raises(settings.SettingsError, match=match):
        with settings.using(bad):
            pass


def test_nested_using_merges_and_snapshot_round_trips():
    with settings.using({"duplicate-block": {"near_ratio": 95}}):
        with settings.using({"duplicate-block": {"min_words": 6}, "repetition": {"max_gap": 3}}):
            snap = settings.snapshot()
            assert snap == {"duplicate-block": {"near_ratio": 95.0, "min_words": 6}, "repetition": {"max_gap": 3}}
        assert settings.snapshot() == {"duplicate-block": {"near_ratio": 95.0}}
    assert settings.snapshot() == {}
    # plain data: a worker process re-creates the same context from it
    with settings.using(pickle.loads(pickle.dumps(snap))):
        assert settings.snapshot() == snap


def test_threads_do_not_see_each_others_settings():
    seen = {}

    def worker():
        seen["thread"] = settings.get_family("duplicate-block").near_ratio

    with settings.using({"duplicate-block": {"near_ratio": 97}}):
        t = threading.Thread(target=worker)
        t.start()
        t.join()
        assert settings.get_family("duplicate-block").near_ratio == 97
    assert seen["thread"] == 90.0


def test_fingerprint_follows_active_values():
    base = evidence_cache.fingerprint()
    with settings.using({"duplicate-block": {"near_ratio": 97}}):
        changed = evidence_cache.fingerprint()
    with settings.using({"duplicate-block": {"near_ratio": 90}}):  # the default: same evidence
        same = evidence_cache.fingerprint()
    assert changed != base and same == base
    assert evidence_cache.make_key(changed, "x") != evidence_cache.make_key(base, "x")


def test_configuration_file_sets_and_validates(tmp_path):
    good = tmp_path / "detector.toml"
    good.write_text('[settings.duplicate-block]\nnear-ratio = 95\n[settings.repetition]\nmax_gap = 4\n')
    cfg = config.resolve({}, config=str(good))
    assert cfg["settings"] == {"duplicate-block": {"near-ratio": 95}, "repetition": {"max_gap": 4}}
    bad = tmp_path / "bad.toml"
    bad.write_text('[settings.duplicate-block]\nnear_ratiox = 95\n')
    with pytest.raises(config.ConfigError, match=r"bad\.toml: settings: unknown setting duplicate-block\.near_ratiox"):
        config.resolve({}, config=str(bad))
    py = tmp_path / "pyproject.toml"
    py.write_text('[tool.detector.settings.language]\nmin_letters = "x"\n')
    with pytest.raises(config.ConfigError, match="language.min_letters must be an integer"):
        config.resolve({}, config=str(py))


def test_settings_reach_worker_processes():
    """--jobs workers see the caller's rule settings (a snapshot passed when the pool starts)."""
    from detector import stream

    texts = [
        f"Story {i}.\n\n{PARA}\n\nSomething else entirely happened later that week in the town.\n\n{NEAR}"
        for i in range(200)
    ]

    def dup_counts(jobs):
        reports = stream.score_stream(lambda: iter(texts), grammar="off", cache=False, jobs=jobs, window=50)
        return sum(1 for r in reports for f in r.findings if f.code == "DUP001")

    assert dup_counts(2) == 200
    with settings.using({"duplicate-block": {"near_ratio": 99.9}}):
        assert dup_counts(2) == 0
        assert dup_counts(1) == 0


def test_worker_initializer_installs_the_snapshot_in_a_fresh_process():
    """A spawned worker (nothing inherited from this process) gets the settings from the pool's
    initializer alone."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from detector import stream_work

    snap = {"duplicate-block": {"near_ratio": 99.9}, "name": {"batch_min_docs": 3}}
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=ctx, initializer=stream_work.init_worker, initargs=([], snap)) as pool:
        assert pool.submit(settings.snapshot).result() == snap
