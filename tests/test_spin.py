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
    for w in ("project", "tardy", "wintertime"):
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
    assert "performance" in dict(spin._compound_candidates("carrying out"))
    written = "The team said its performance in the second half was poor and the fans were angry."
    spun = "The team said its carrying out in the second half was poor and the fans were angry."
    (a, na), (b, nb) = spin.spin_llr(written), spin.spin_llr(spun)
    assert nb >= na  # the compound is weighed as one more position
    assert b > a


_TH = (
    "UTF-8\n"
    "performance|2\n(noun)|carrying out|execution|public presentation (generic term)\n(noun)|show|execution\n"
    "profit|1\n(noun)|net income|Net Profit|gain\n"
    "gain|1\n(noun)|profit|Gain-ful\n"
)


def test_spin_table_weighs_a_sense_then_a_synonym(tmp_path):
    th = tmp_path / "th.dat"
    th.write_text(_TH, encoding="utf-8")
    table = spin.read_spin_table(th)
    # plain lower-case synonyms only: no generic terms, no capitalised or hyphenated entries
    assert set(table) == {"carrying out", "execution", "show", "net income", "gain", "profit"}
    # performance: 2 senses; "execution" is in both (1/2 * 1/2 + 1/2 * 1/2), "show" in one of two
    assert table["execution"] == {"performance": pytest.approx(0.5)}
    assert table["show"] == {"performance": pytest.approx(0.25)}
    assert table["carrying out"] == {"performance": pytest.approx(0.25)}
    assert table["net income"] == {"profit": pytest.approx(1 / 3)}
    assert table["profit"] == {"gain": pytest.approx(0.5)}


def test_spin_table_round_trips(tmp_path):
    th = tmp_path / "th.dat"
    th.write_text(_TH, encoding="utf-8")
    out = tmp_path / "t.npz"
    assert spin.build_spin_table(out, th) == 6
    assert out.exists() and not list(tmp_path.glob("*.tmp*"))
    import numpy as np

    with np.load(out) as z:
        lines = z["table"].tobytes().decode("utf-8").split("\n")
    row = dict(line.split("\t") for line in lines)["execution"].split()
    assert row[0] == "performance" and float(row[1]) == pytest.approx(math.log(0.5), abs=1e-5)


def test_synonym_count_is_the_number_of_synonyms():
    # the spinning ratio weighs a loose link by it; a plural noun gets its singular's links
    for w in ("project", "projects", "stories", "weather", "quickly", "zzzzs", "the"):
        assert collocation.synonym_count(w) == len(collocation.synonyms(w)), w
    assert collocation.synonym_count("projects") > 0
