"""Build script for the one optional compiled module; everything else is in pyproject.toml.

``detector.families._kernels`` (Cython) runs the fluency family's per-word loops. It is optional:
without a C compiler the build skips it with a warning and the pure-Python loops run instead,
with the same results (``tests/test_kernels.py``).
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "detector.families._kernels",
            ["detector/families/_kernels.pyx"],
            optional=True,
            # no fused multiply-add: the same doubles as the pure-Python loops
            extra_compile_args=["-O2", "-ffp-contract=off"],
        )
    ]
)
