"""The document-level spinning statistic (families/spin.py): a likelihood ratio of "synonyms were
swapped in" against "written as is" under the general-English LM and the thesaurus."""

import math

import pytest

from detector.explain import STAT_WORDS
from detector.families import collocation, fluency, fluency_lm, spin
from detector.text import Document

pytestmark = pytest.mark.skipif(
    not (collocation.available() and fluency_lm.lm_available()), reason="thesaurus or LM missing"
)

# self-written copy, and the same copy with about one content word in five replaced by a
# thesaurus synonym the way a spinner does it (no word list is involved)
CLEAN = (
    "The council said on Monday that the new bridge would open late next year. Work on the "
    "project has been delayed by bad weather and a shortage of steel. Local people have "
    "complained about traffic in the town centre, and shop owners say they have lost business. "
    "The mayor promised that the road would be repaired before the winter."
)
SPUN = (
    "The council said on Monday that the new bridge would open tardy next year. Work on the "
    "labor has been delayed by big weather and a dearth of steel. Local people have "
    "complained about dealings in the town heart, and shop owners say they have mislaid business. "
    "The mayor promised that the route would be repaired before the wintertime."
)


def test_spun_copy_has_higher_ratio_than_the_original():
    clean, n_clean = spin.spin_llr(CLEAN)
    spun, n_spun = spin.spin_llr(SPUN)
    assert n_clean > 10 and n_spun > 10
    assert spun > clean + 0.2
    # clean copy sits near the "no evidence" value log(1 - prior): most words are predicted
    assert clean < math.log(1 - spin.PRIOR) + 0.1


def test_candidates_are_bounded_and_ordered_by_frequency():
    for w in ("project", "tardy", "weather"):
        cands = spin._candidates(w)
        assert 0 < len(cands) <= spin.TOP_K
        freqs = [fluency_lm.unigram_logprob(o) for o, _ in cands]
        assert freqs == sorted(freqs, reverse=True)
        assert all(q <= 0.0 for _, q in cands)
    assert spin._candidates("the") == ()  # stop words are not weighed
    assert spin._candidates("car") == ()  # too short


def test_capitalised_words_and_empty_text_are_not_weighed():
    assert spin.spin_llr("") == (0.0, 0)
    # names and sentence-initial words are not candidates; a lone word has no context
    assert spin.spin_llr("London Bridge.")[1] == 0
    assert spin.spin_llr("weather")[1] == 0


def test_statistic_reaches_the_model_and_has_words_for_reasons():
    doc = Document(SPUN)
    st = fluency.stats(doc)
    assert st["flu_swap_spin_llr"] == pytest.approx(spin.spin_llr(doc)[0])
    assert "flu_swap_spin_llr" in STAT_WORDS


def test_a_two_word_thesaurus_entry_in_place_of_a_word_is_evidence():
    """"carrying out" is listed among the synonyms of "performance": a spinner writing "the
    team's carrying out was poor" leaves a compound where a single word fits far better."""
    assert "performance" in spin._compounds().get("carrying out", ())
    written = "The team said its performance in the second half was poor and the fans were angry."
    spun = "The team said its carrying out in the second half was poor and the fans were angry."
    (a, na), (b, nb) = spin.spin_llr(written), spin.spin_llr(spun)
    assert nb >= na  # the compound is weighed as one more position
    assert b > a


def test_compound_table_round_trips(tmp_path):
    th = tmp_path / "th.dat"
    th.write_text(
        "UTF-8\nperformance|1\n(noun)|carrying out|execution|public presentation (generic term)\n"
        "profit|1\n(noun)|net income|Net Profit\n",
        encoding="utf-8",
    )
    table = spin.read_compounds(th)
    # plain two-word lower-case synonyms only: no generic terms, no capitalised entries
    assert table == {"carrying out": {"performance"}, "net income": {"profit"}}
    out = tmp_path / "c.npz"
    assert spin.build_compounds(out, th) == 2
    assert out.exists() and not list(tmp_path.glob("*.tmp*"))
