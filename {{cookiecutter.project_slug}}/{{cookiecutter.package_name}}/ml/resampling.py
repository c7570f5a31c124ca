"""Oversampling of the minority class, applied to training rows only (never to the test set)."""

from __future__ import annotations

import numpy as np


def oversample_minority(
    features: np.ndarray, labels: np.ndarray, ratio: float, random_state: int
) -> tuple[np.ndarray, np.ndarray]:
    """Duplicate random positive rows until positives are `ratio` times the negatives (never fewer than before)."""
    positives = np.flatnonzero(labels == 1)
    negatives = np.flatnonzero(labels == 0)
    wanted = int(round(ratio * len(negatives)))
    extra = wanted - len(positives)
    if extra <= 0 or len(positives) == 0:
        return features, labels
    rng = np.random.default_rng(random_state)
    chosen = rng.choice(positives, size=extra, replace=True)
    order = np.concatenate([np.arange(len(labels)), chosen])
    return features[order], labels[order]
