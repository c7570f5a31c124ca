from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression

from {{ cookiecutter.package_name }}.training.resampling import (
    OversampledClassifier,
    balancing_weights,
    oversample_minority,
)


def test_minority_is_duplicated_up_to_the_ratio() -> None:
    features = np.arange(20, dtype=float).reshape(10, 2)
    labels = np.array([1, 1] + [0] * 8)

    new_features, new_labels = oversample_minority(features, labels, ratio=0.5, random_state=0)

    assert int(new_labels.sum()) == 4
    assert int((new_labels == 0).sum()) == 8
    assert {tuple(row) for row in new_features[new_labels == 1]} <= {tuple(row) for row in features[:2]}


def test_balanced_data_is_left_alone() -> None:
    features = np.arange(6, dtype=float).reshape(6, 1)
    labels = np.array([1, 1, 1, 0, 0, 0])

    same_features, same_labels = oversample_minority(features, labels, ratio=0.5, random_state=0)

    assert same_labels.tolist() == labels.tolist()
    assert same_features.tolist() == features.tolist()


def test_the_same_seed_duplicates_the_same_rows_and_another_seed_others() -> None:
    """Compared on the duplicated rows themselves: their labels are the same whatever the seed."""
    features = np.arange(40, dtype=float).reshape(20, 2)
    labels = np.array([1] * 5 + [0] * 15)

    first = oversample_minority(features, labels, 1.0, 7)[0]
    again = oversample_minority(features, labels, 1.0, 7)[0]
    other = oversample_minority(features, labels, 1.0, 8)[0]

    assert first.tolist() == again.tolist()
    assert first.tolist() != other.tolist()


def test_every_rarer_class_is_raised_for_three_classes() -> None:
    labels = np.array([0] * 10 + [1] * 2 + [2] * 4)

    _, new_labels = oversample_minority(np.zeros((16, 1)), labels, ratio=0.5, random_state=0)

    assert np.bincount(new_labels).tolist() == [10, 5, 5]


def test_oversampling_happens_only_inside_fit() -> None:
    class Recorder(LogisticRegression):
        def fit(self, features, labels):
            self.rows_seen_ = len(labels)
            return super().fit(features, labels)

    features = np.arange(20, dtype=float).reshape(10, 2)
    labels = np.array([1, 1] + [0] * 8)
    model = OversampledClassifier(Recorder(), ratio=1.0, random_state=0).fit(features, labels)

    assert model.estimator_.rows_seen_ == 16
    assert model.predict_proba(features).shape == (10, 2)


def test_weights_give_every_rarer_class_the_weight_repeated_rows_would() -> None:
    labels = np.array([0] * 10 + [1] * 2 + [2] * 4)

    weights = balancing_weights(labels, ratio=0.5)

    assert [float(weights[labels == value].sum()) for value in (0, 1, 2)] == [10.0, 5.0, 5.0]
    assert balancing_weights(np.array([1, 1, 1, 0, 0, 0]), ratio=0.5).tolist() == [1.0] * 6


def test_an_estimator_whose_leaves_count_rows_is_fitted_on_weighted_rows_not_repeated_ones() -> None:
    """LightGBM's smallest leaf is `min_child_samples` rows: repeated rows of the rare class would fill it."""

    class RowCountingLeaves(LogisticRegression):
        def __init__(self, min_child_samples: int = 20) -> None:
            super().__init__()
            self.min_child_samples = min_child_samples

        def fit(self, features, labels, sample_weight=None):
            self.rows_seen_, self.weights_seen_ = len(labels), sample_weight
            return super().fit(features, labels, sample_weight=sample_weight)

    features = np.arange(20, dtype=float).reshape(10, 2)
    labels = np.array([1, 1] + [0] * 8)
    model = OversampledClassifier(RowCountingLeaves(), ratio=1.0, random_state=0).fit(features, labels)

    assert model.estimator_.rows_seen_ == 10
    assert model.estimator_.weights_seen_.tolist() == [4.0, 4.0] + [1.0] * 8
    assert model.predict_proba(features).shape == (10, 2)
