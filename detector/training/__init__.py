"""Training and evaluating the reliability classifier (``detector train`` / ``detector evaluate``).

=================  ==========================================================================
module             holds
=================  ==========================================================================
``data``           :class:`Dataset`, :func:`read_dataset` (labelled JSONL/CSV, per-row failure
                   boundary), :func:`data_warnings`, :func:`compute_evidence` (via
                   :func:`detector.api.analyse`)
``fit``            candidate estimators, grouped cross-validation, :func:`choose_thresholds`,
                   :func:`prior_shift`, :func:`train` (skops bundle + model card + the
                   numpy-only copy is written by :func:`detector.compiled.compile_bundle`)
``evaluate``       :func:`metrics`, feature importances, :func:`false_alarms`, :func:`evaluate`,
                   :func:`plot`
=================  ==========================================================================

This package sits above :mod:`detector.api` and :mod:`detector.model` (scoring-time loading and
the compiled scorer); nothing below imports it (``tests/test_layers.py``). scikit-learn,
skops and matplotlib are imported inside the functions that use them.
"""

from __future__ import annotations

from .data import LABELS, Dataset, compute_evidence, data_warnings, parse_label, read_dataset
from .evaluate import evaluate, false_alarms, fmt, metrics, permutation_top_features, plot, top_features
from .fit import (
    ESTIMATORS,
    FLAG_CLEAN_SHARE,
    PRIOR_UNRELIABLE,
    REJECT_CLEAN_SHARE,
    choose_thresholds,
    cross_validate,
    prior_shift,
    train,
)

__all__ = [
    "ESTIMATORS", "FLAG_CLEAN_SHARE", "LABELS", "PRIOR_UNRELIABLE", "REJECT_CLEAN_SHARE", "Dataset",
    "choose_thresholds", "compute_evidence", "cross_validate", "data_warnings", "evaluate",
    "false_alarms", "fmt", "metrics", "parse_label", "permutation_top_features", "plot",
    "prior_shift", "read_dataset", "top_features", "train",
]
