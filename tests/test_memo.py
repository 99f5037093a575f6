"""detector.memo.CappedMemo: the one capped memo cache the families share."""

from __future__ import annotations

from detector.memo import CappedMemo


def test_memo_computes_once_while_held():
    calls = []
    memo = CappedMemo(cap=10)

    def square(k):
        calls.append(k)
        return k * k

    assert [memo(k, square) for k in (3, 4, 3, 3, 4)] == [9, 16, 9, 9, 16]
    assert calls == [3, 4]
    assert memo.get(3) == 9 and 5 not in memo


def test_memo_is_emptied_past_its_cap_and_stays_bounded():
    memo = CappedMemo(cap=5)
    for k in range(100):
        assert memo(k, str) == str(k)
        assert len(memo) <= 6  # cap + the entry just added
    # a value falsy or None is remembered too (no recomputation)
    calls = []
    memo2 = CappedMemo(cap=3)
    for _ in range(3):
        memo2("x", lambda k: calls.append(k))
    assert calls == ["x"]


def test_family_memos_are_capped_memos():
    from detector.families.names import lookups, tokens
    from detector.families.sentences import words

    assert isinstance(tokens._fold_memo, CappedMemo) and isinstance(tokens._core_memo, CappedMemo)
    assert isinstance(words._FORM_CACHE, CappedMemo)
    assert words.verb_form("said") == words._verb_form("said")
    assert lookups._memo is not None


def test_bounded_cache_memoises_and_trim_empties_it_past_its_cap():
    from detector import memo

    calls = []

    @memo.bounded_cache(cap=4)
    def shout(s: str) -> str:
        calls.append(s)
        return s.upper()

    try:
        assert [shout(w) for w in ("a", "b", "a")] == ["A", "B", "A"]
        assert calls == ["a", "b"]
        memo.trim()  # under its cap: kept
        assert shout.cache_info().currsize == 2
        for w in "cdefg":
            shout(w)
        assert shout.cache_info().currsize == 7
        memo.trim()  # past its cap: emptied, and the values come back the same
        assert shout.cache_info().currsize == 0
        assert shout("a") == "A" and calls.count("a") == 2
        memo.trim(everything=True)
        assert shout.cache_info().currsize == 0
        # tick() checks the sizes every TRIM_CHECK_EVERY articles
        for w in "hijklm":
            shout(w)
        for _ in range(memo.TRIM_CHECK_EVERY):
            memo.tick()
        assert shout.cache_info().currsize == 0
    finally:
        memo._BOUNDED[:] = [(f, c) for f, c in memo._BOUNDED if f is not shout]


def test_bounded_memos_of_atoms_are_not_walked_by_the_garbage_collector():
    """The point of bounded_cache: a table of strings and numbers is one exact dict that the
    collector does not track, where an lru_cache(maxsize=N) is traversed node by node. Checked
    on a real family memo after use, against an lru_cache(maxsize=N) of the same entries."""
    import gc
    from functools import lru_cache

    from detector.families import lexicon

    words = [f"memo-check-{i}" for i in range(500)]
    for w in words:
        lexicon.hash32(w)
    lru = lru_cache(maxsize=1 << 10)(lexicon.hash32.__wrapped__)
    for w in words:
        lru(w)
    assert len(gc.get_referents(lru)) > 500  # every entry visited at each collection
    refs = gc.get_referents(lexicon.hash32)
    assert len(refs) < 20  # a few fixed references, whatever the number of entries
    tables = [r for r in refs if type(r) is dict and words[0] in r]
    assert len(tables) == 1 and not gc.is_tracked(tables[0])


def test_stream_trim_keeps_kept_lru_memos_and_empties_the_other_large_ones():
    """detector.stream_work.trim_memos empties the families' large lru_cache tables every
    TRIM_EVERY articles, except those made with memo.kept_lru_cache (bounded by LRU eviction;
    their entries are costly to recompute): the spinning ratio's candidate synonyms survive,
    the MT model's token buckets (an ordinary large lru_cache) do not."""
    from detector import stream_work
    from detector.families import fluency_lm, spin

    assert spin._candidates.kept is True
    assert not getattr(fluency_lm._lm_token, "kept", False)
    spin._candidates("tardy")
    fluency_lm._lm_token("market")
    assert spin._candidates.cache_info().currsize >= 1 and fluency_lm._lm_token.cache_info().currsize >= 1
    stream_work.trim_memos(stream_work.TRIM_EVERY)
    assert spin._candidates.cache_info().currsize >= 1
    assert fluency_lm._lm_token.cache_info().currsize == 0
    assert spin._candidates.cache_info().maxsize is not None  # still bounded (LRU)


def test_bounded_dict_is_emptied_past_its_cap_and_by_the_streaming_trim():
    """memo.bounded_dict: a plain dict a module fills itself (the fluency family's membership
    memos), emptied by trim() once past its cap, and by trim(everything=True)."""
    import gc

    from detector import memo

    table = memo.bounded_dict(cap=3)
    try:
        table.update({"a": 1, "b": 0})
        memo.trim()  # under its cap: kept
        assert table == {"a": 1, "b": 0}
        table.update({"c": 1, "d": -1})
        memo.trim()  # past its cap: emptied
        assert table == {}
        table["e"] = True
        memo.trim(everything=True)
        assert table == {}
        table.update({"f": 1, "g": False})
        assert not gc.is_tracked(table)  # atoms only: the collector never walks it
    finally:
        memo._BOUNDED[:] = [(f, c) for f, c in memo._BOUNDED if f is not table]


def test_fluency_membership_memos_are_family_bounded_dicts():
    from detector import memo
    from detector.families import fluency

    held = [m for m, _ in memo._BOUNDED]
    for table in (fluency._BROAD_KNOWN, fluency._REF_WORDS):
        assert any(table is m for m in held)
