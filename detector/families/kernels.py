"""The optional compiled loops of the fluency family (:mod:`._kernels`, Cython).

``pip install`` builds them when a C compiler is present; without one, or with the environment
variable ``DETECTOR_PURE_PYTHON=1``, the pure-Python loops of :mod:`.spin` and
:mod:`.fluency_lm` run instead. Both paths give the same floats, bit for bit
(``tests/test_kernels.py``).

The compiled loops look n-grams up by word id in a second copy of the pocketsphinx model that
they open through pocketsphinx's own C functions (``ngram_model_read``, ``ngram_wid``,
``ngram_ng_prob``: what ``NGramModel.readfile`` and ``NGramModel.prob`` call), found with
:mod:`ctypes` in the loaded ``pocketsphinx._pocketsphinx`` module (pocketsphinx is pinned).
"""

from __future__ import annotations

import os
from functools import lru_cache

try:
    from . import _kernels
except ImportError:  # not built: no C compiler at install time
    _kernels = None  # type: ignore[assignment]

BUILT = _kernels is not None
COMPILED = BUILT and os.environ.get("DETECTOR_PURE_PYTHON", "") in ("", "0")


class KernelModel:
    """The compiled loops' model where a ``pocketsphinx.NGramModel`` would serve:
    ``prob(words)`` (one to three words in a list) gives ``NGramModel.prob``'s integers
    (``tests/test_kernels.py``), so with the kernel built the model is read once, not twice."""

    __slots__ = ()
    if _kernels is not None:
        prob = staticmethod(_kernels.prob)


@lru_cache(maxsize=1)
def open_lm(path: str) -> KernelModel:
    """Open the model at ``path`` for the compiled loops (once per process)."""
    import ctypes

    from pocketsphinx import _pocketsphinx

    lib = ctypes.CDLL(_pocketsphinx.__file__)

    def address(name: str) -> int:
        return ctypes.cast(getattr(lib, name), ctypes.c_void_p).value

    _kernels.open_lm(
        path,
        *map(address, ("logmath_init", "ngram_model_read", "logmath_free", "ngram_wid", "ngram_ng_prob")),
    )
    return KernelModel()


if _kernels is not None:
    spin_llr = _kernels.spin_llr
    lm_transitions = _kernels.lm_transitions


def describe() -> str:
    """Which loops run, in a few words."""
    if COMPILED:
        return "compiled"
    return "pure Python (" + ("DETECTOR_PURE_PYTHON set" if BUILT else "the compiled kernel is not built") + ")"
