from __future__ import annotations

import numpy as np

from {{ cookiecutter.package_name }}.ml.resampling import oversample_minority


def test_minority_is_duplicated_up_to_the_ratio() -> None:
    features = np.arange(20, dtype=float).reshape(10, 2)
    labels = np.array([1, 1] + [0] * 8)

    new_features, new_labels = oversample_minority(features, labels, ratio=0.5, random_state=0)

    assert int(new_labels.sum()) == 4
    assert int((new_labels == 0).sum()) == 8
    assert {tuple(row) for row in new_features[new_labels == 1]} <= {tuple(row) for row in features[:2]}


def test_balanced_data_is_left_alone_and_results_repeat() -> None:
    features = np.ones((6, 1))
    labels = np.array([1, 1, 1, 0, 0, 0])

    same_features, same_labels = oversample_minority(features, labels, ratio=0.5, random_state=0)
    assert same_labels.tolist() == labels.tolist()

    skewed = np.array([1] + [0] * 5)
    first = oversample_minority(features, skewed, 1.0, 7)[1]
    second = oversample_minority(features, skewed, 1.0, 7)[1]
    assert first.tolist() == second.tolist()
