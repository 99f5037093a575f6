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
