"""The compiled fluency loops (detector.families._kernels) give the pure-Python loops' floats.

Both paths are run in this process on the same documents and compared exactly (``==`` on
floats, not approximately): the model's scores must not depend on whether the kernel was built.
Skipped with a reason when the kernel is not built (no C compiler at install time); CI builds it
(``DETECTOR_REQUIRE_KERNEL=1`` turns that skip into a failure).
"""

from __future__ import annotations

import os
import random
import subprocess
import sys

import pytest
from shared_data import bbc_texts

from detector.families import fluency_lm as L
from detector.families import kernels, spin
from detector.text import Document

if not kernels.BUILT:
    if os.environ.get("DETECTOR_REQUIRE_KERNEL") == "1":
        raise RuntimeError("DETECTOR_REQUIRE_KERNEL=1 but detector.families._kernels is not built")
    pytest.skip("the compiled kernel is not built (no C compiler at install time)", allow_module_level=True)
if not L.lm_available() or not spin._table():
    pytest.skip("the pocketsphinx model or the spin thesaurus is unavailable", allow_module_level=True)


@pytest.fixture(scope="module", autouse=True)
def _opened():
    import pocketsphinx

    kernels.open_lm(os.path.join(pocketsphinx.get_model_path(), "en-us", "en-us.lm.bin"))


FIXTURES = [
    "",
    "...",
    "The minister said on Tuesday that the plan would go ahead.",
    "The minister said, after a long pause, that the plan would go ahead; critics disagreed.",
    # spinner word choices, apostrophes (straight and curly), numbers that reset the history
    "The colossal organization's boss declared that benefits had ascended by 12% in the last quarter.",
    "It’s the firm’s best year since 1998, and shareholders weren't told why.",
    "In this manner, the government has taken a decision to make a confirmation of the settlement.",
    # capitalised words (no candidates), unknown words, other scripts, runs of punctuation
    "Zxqv blorp the Xanthippe of Qwertyuiop met Ångström and 東京 -- then !!! nothing?",
    "a a a a a the the the of of of , , , and and",
    "Short.\n\nAnother paragraph here. And a third sentence, with commas, everywhere, really.",
    "don't can't won't it's they're we've I'd you'll o'clock rock'n'roll",
    "The well-known, state-of-the-art, high-profile campaign was re-launched mid-way through 2004.",
]


# function words and every 12th headword of the spin thesaurus (words with spinner candidates)
_FUNCTION = "the a an of to in and or but that which who is was were be been has have had it this on at by for with from as not".split()
_VOCAB = _FUNCTION * 40 + sorted(spin._table())[::12]


def _words(n: int, seed: int) -> str:
    """A pseudo-sentence stream of common words (some capitalised, some commas, some numbers)."""
    vocab = _VOCAB
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        w = rng.choice(vocab)
        r = rng.random()
        if r < 0.05:
            w = w.capitalize()
        elif r < 0.08:
            w += ","
        elif r < 0.10:
            w = str(rng.randint(1, 3000))
        out.append(w)
        if rng.random() < 0.07:
            out[-1] += "."
    return " ".join(out)


FIXTURES += [_words(400, seed) for seed in range(6)]


def _both(text: str):
    doc = Document(text)
    py_spin = spin._spin_sum_python(doc)
    c_spin = spin._spin_sum_compiled(Document(text))
    py_lm = L._lm_transitions_python(doc)
    d2 = Document(text)
    c_lm = kernels.lm_transitions(d2.text, d2.sentences, L._LM_TOKEN_RE.finditer, L._lm_token, L._LN_BASE)
    return py_spin, c_spin, py_lm, c_lm


@pytest.mark.parametrize("text", FIXTURES, ids=range(len(FIXTURES)))
def test_compiled_equals_python_on_fixtures(text):
    py_spin, c_spin, py_lm, c_lm = _both(text)
    assert c_spin == py_spin
    assert c_lm == py_lm


def test_fixtures_exercise_both_loops():
    # the comparison above means something only if the loops found words to score
    totals = [_both(t) for t in FIXTURES]
    assert sum(s[0][1] for s in totals) > 200  # eligible spin words
    assert sum(len(s[2]) for s in totals) > 1000  # transitions
    assert any(s[0][0] != 0.0 for s in totals)


def test_compiled_equals_python_on_bbc_sample():
    texts = bbc_texts("test", 60)
    for text in texts:
        py_spin, c_spin, py_lm, c_lm = _both(text)
        assert c_spin == py_spin, text[:60]
        assert c_lm == py_lm, text[:60]


def test_kernel_prob_is_pocketsphinx_prob():
    import pocketsphinx

    # pocketsphinx's own reader, not L._lm() (which is the kernel's model when it is built)
    model = pocketsphinx.NGramModel.readfile(os.path.join(pocketsphinx.get_model_path(), "en-us", "en-us.lm.bin"))
    vocab = ["café", "naïve", "東京"] + _FUNCTION + sorted(spin._table())[::60] + ["zxqvblorp", "Capitalised", "<s>", "</s>", "o'clock"]
    rng = random.Random(7)
    for _ in range(3000):
        n = rng.randint(1, 3)
        words = [rng.choice(vocab) for _ in range(n)]
        assert kernels._kernels.prob(words) == model.prob(words), words
    with pytest.raises(ValueError):
        kernels._kernels.prob([])
    with pytest.raises(ValueError):
        kernels._kernels.prob(["a", "b", "c", "d"])


def test_word_ids_of_unknown_words_are_negative():
    assert kernels._kernels.wid("the") >= 0
    assert kernels._kernels.wid("zxqvblorpfrob") < 0


def test_public_functions_use_the_active_loop():
    text = FIXTURES[4] + " " + FIXTURES[6]
    total, n = spin._spin_sum_python(Document(text))
    assert spin.spin_llr(text) == (total / n, n)
    assert L.lm_transitions(text) == L._lm_transitions_python(Document(text))


@pytest.mark.parametrize("value,compiled", [("1", False), ("0", True), ("", True)])
def test_pure_python_switch(value, compiled):
    env = dict(os.environ, DETECTOR_PURE_PYTHON=value)
    code = "from detector.families import kernels; print(kernels.COMPILED, kernels.describe())"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    flag, _, words = out.strip().partition(" ")
    assert flag == str(compiled)
    assert words == ("compiled" if compiled else "pure Python (DETECTOR_PURE_PYTHON set)")
