"""Evaluation plots as PNG files, for the candidate and the production model side by side on the same test rows:
confusion matrix, ROC and precision-recall curves (one curve per class when there are more than two); for a
measurement, predicted against actual and the residuals."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import joblib
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..constants import PREDICTION_COLUMN
from ..utils.labels import match_labels

PLOT_FILES = ("confusion_matrix.png", "roc_curve.png", "precision_recall.png")
REGRESSION_PLOT_FILES = ("predicted_vs_actual.png", "residuals.png")


def class_probabilities(model: Any, frame: pd.DataFrame) -> tuple[list[str], NDArray[Any]]:
    """The model's classes and one probability column per class."""
    if hasattr(model, "predict_proba"):
        return [str(label) for label in model.classes], np.asarray(model.predict_proba(frame))
    _, positive = model.predict_encoded(frame)
    return [model.negative_label, model.positive_label], np.column_stack([1 - positive, positive])


def _curves(axis: Any, display: Any, truth: NDArray[Any], classes: list[str], probabilities: NDArray[Any]) -> None:
    shown = classes[1:] if len(classes) == 2 else classes  # binary: the positive class only
    for label in shown:
        column = classes.index(label)
        display.from_predictions(truth == label, probabilities[:, column], name=label, ax=axis)


def write_evaluation_plots(
    output_dir: Path, test: pd.DataFrame, target: str, model_paths: dict[str, Path | None]
) -> list[Path]:
    """One PNG per kind of plot, one panel per model that exists (candidate, production)."""
    # Imported here: matplotlib (0.7 s to import) is needed only when plots are drawn, never by the server.
    import matplotlib

    matplotlib.use("Agg")  # files only: no display needed, safe in servers and containers

    import matplotlib.pyplot as plt
    from sklearn.metrics import ConfusionMatrixDisplay, PrecisionRecallDisplay, RocCurveDisplay

    models = {name: joblib.load(path) for name, path in model_paths.items() if path is not None}
    if any(getattr(model, "is_regression", False) for model in models.values()):
        return _write_regression_plots(plt, output_dir, test, target, models)
    scored = {}
    for name, model in models.items():
        classes, probabilities = class_probabilities(model, test)
        # The labels as the model spells them: a CSV's True/False arrive as booleans, a table's 1/0 as numbers.
        truth = match_labels(test[target], classes)[0].to_numpy()
        predicted = model.predict(test)[PREDICTION_COLUMN].astype(str).to_numpy()
        scored[name] = (truth, predicted, classes, probabilities)
    written = []
    for filename in PLOT_FILES:
        figure, axes = plt.subplots(1, len(scored), figsize=(5 * len(scored), 4.5), squeeze=False)
        for axis, (name, (truth, predicted, classes, probabilities)) in zip(axes[0], scored.items(), strict=True):
            if filename == "confusion_matrix.png":
                ConfusionMatrixDisplay.from_predictions(truth, predicted, labels=classes, ax=axis, colorbar=False)
            elif filename == "roc_curve.png":
                _curves(axis, RocCurveDisplay, truth, classes, probabilities)
            else:
                _curves(axis, PrecisionRecallDisplay, truth, classes, probabilities)
            axis.set_title(name)
        written.append(_save(plt, figure, output_dir / filename))
    return written


def _save(plt: Any, figure: Any, path: Path) -> Path:
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=80)
    plt.close(figure)
    return path


def _write_regression_plots(
    plt: Any, output_dir: Path, test: pd.DataFrame, target: str, models: dict[str, Any]
) -> list[Path]:
    """Predicted against actual (the diagonal is perfect) and residuals against predicted, one panel per model."""
    truth = pd.to_numeric(test[target], errors="coerce").to_numpy(dtype=float)
    predicted = {name: model.predict_values(test) for name, model in models.items()}
    written = []
    for filename in REGRESSION_PLOT_FILES:
        figure, axes = plt.subplots(1, len(models), figsize=(5 * len(models), 4.5), squeeze=False)
        for axis, (name, values) in zip(axes[0], predicted.items(), strict=True):
            if filename == "predicted_vs_actual.png":
                axis.scatter(truth, values, s=8, alpha=0.6)
                both = np.concatenate([truth, values])
                low, high = float(np.nanmin(both)), float(np.nanmax(both))
                axis.plot([low, high], [low, high], color="grey", linewidth=1)
                axis.set(xlabel=f"actual {target}", ylabel="predicted")
            else:
                axis.scatter(values, truth - values, s=8, alpha=0.6)
                axis.axhline(0, color="grey", linewidth=1)
                axis.set(xlabel="predicted", ylabel="actual - predicted")
            axis.set_title(name)
        written.append(_save(plt, figure, output_dir / filename))
    return written
