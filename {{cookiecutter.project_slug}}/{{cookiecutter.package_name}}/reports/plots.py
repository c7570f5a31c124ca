"""Evaluation plots as PNG files, for the candidate and the production model on the same test rows: confusion
matrices side by side; ROC and precision-recall curves of both on the same axes (one curve per class when there are
more than two); for two classes, the threshold curve with the threshold each model uses marked; for a measurement,
predicted against actual and the residuals."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import joblib
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..constants import PREDICTION_COLUMN
from ..entity.config_entity import MisclassificationCosts
from ..utils.labels import match_labels

THRESHOLD_FILE = "threshold_curve.png"
PLOT_FILES = ("confusion_matrix.png", "roc_curve.png", "precision_recall.png", THRESHOLD_FILE)
REGRESSION_PLOT_FILES = ("predicted_vs_actual.png", "residuals.png")
THRESHOLDS = np.linspace(0.01, 0.99, 99)
LINE_STYLES = {"candidate": "-", "production": "--"}


def class_probabilities(model: Any, frame: pd.DataFrame) -> tuple[list[str], NDArray[Any]]:
    """The model's classes and one probability column per class."""
    if hasattr(model, "predict_proba"):
        return [str(label) for label in model.classes], np.asarray(model.predict_proba(frame))
    _, positive = model.predict_encoded(frame)
    return [model.negative_label, model.positive_label], np.column_stack([1 - positive, positive])


def write_evaluation_plots(
    output_dir: Path,
    test: pd.DataFrame,
    target: str,
    model_paths: dict[str, Path | None],
    metric: str = "f1",
    costs: MisclassificationCosts | None = None,
) -> list[Path]:
    """One PNG per kind of plot for the models that exist (candidate, production); `metric` and `costs` are the
    gate's, which say what the threshold curve measures."""
    # Imported here: matplotlib (0.7 s to import) is needed only when plots are drawn, never by the server.
    import matplotlib

    matplotlib.use("Agg")  # files only: no display needed, safe in servers and containers

    import matplotlib.pyplot as plt
    from sklearn.metrics import ConfusionMatrixDisplay

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
    figure, axes = plt.subplots(1, len(scored), figsize=(5 * len(scored), 4.5), squeeze=False)
    for axis, (name, (truth, predicted, classes, _)) in zip(axes[0], scored.items(), strict=True):
        # At the threshold the model uses: its own predictions.
        ConfusionMatrixDisplay.from_predictions(truth, predicted, labels=classes, ax=axis, colorbar=False)
        axis.set_title(name)
    written = [_save(plt, figure, output_dir / "confusion_matrix.png")]
    for filename, kind in (("roc_curve.png", "roc"), ("precision_recall.png", "pr")):
        figure, axis = plt.subplots(figsize=(6, 4.5))
        _curves(axis, kind, scored)
        written.append(_save(plt, figure, output_dir / filename))
    if all(len(classes) == 2 for _, _, classes, _ in scored.values()):
        figure, axis = plt.subplots(figsize=(6, 4.5))
        thresholds = {name: getattr(model, "threshold", None) for name, model in models.items()}
        _threshold_curves(axis, scored, thresholds, metric, costs)
        written.append(_save(plt, figure, output_dir / THRESHOLD_FILE))
    return written


def _save(plt: Any, figure: Any, path: Path) -> Path:
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=80)
    plt.close(figure)
    return path


def _curves(axis: Any, kind: str, scored: dict[str, tuple[Any, ...]]) -> None:
    """ROC (`kind` "roc") or precision-recall curves of every model on one axes: a colour per model (two classes)
    or per class (more), a line style per model."""
    from sklearn.metrics import auc, average_precision_score, precision_recall_curve, roc_curve

    for name, (truth, _, classes, probabilities) in scored.items():
        shown = classes[1:] if len(classes) == 2 else classes  # binary: the positive class only
        for index, label in enumerate(shown):
            actual, score = truth == label, probabilities[:, classes.index(label)]
            if actual.all() or not actual.any():
                continue  # a class absent from the test rows has no curve
            if kind == "roc":
                x, y, _ = roc_curve(actual, score)
                area = f"AUC {auc(x, y):.3f}"
            else:
                precision, recall, _ = precision_recall_curve(actual, score)
                x, y, area = recall, precision, f"AP {average_precision_score(actual, score):.3f}"
            colour = f"C{list(scored).index(name)}" if len(classes) == 2 else f"C{index}"
            named = name if len(classes) == 2 else f"{name}, {label}"
            style = LINE_STYLES.get(name, ":")
            steps = "default" if kind == "roc" else "steps-post"  # as scikit-learn draws them
            axis.plot(x, y, color=colour, linestyle=style, label=f"{named} ({area})", drawstyle=steps)
    if kind == "roc":
        axis.plot([0, 1], [0, 1], color="grey", linewidth=1, linestyle=":", label="chance")
        axis.set(xlabel="false positive rate", ylabel="true positive rate", title="ROC curve")
    else:
        axis.set(xlabel="recall", ylabel="precision", title="Precision-recall curve")
    axis.set(xlim=(-0.02, 1.02), ylim=(-0.02, 1.02))
    axis.legend(loc="lower right" if kind == "roc" else "lower left", fontsize="small")


def _threshold_curves(
    axis: Any,
    scored: dict[str, tuple[Any, ...]],
    thresholds: dict[str, float | None],
    metric: str,
    costs: MisclassificationCosts | None,
) -> None:
    """The metric the threshold is tuned for (cost, accuracy or f1, as training/threshold.py chooses) at every
    threshold, each model's own threshold marked."""
    measured = "cost" if metric == "cost" and costs is not None else "accuracy" if metric == "accuracy" else "f1"
    for position, (name, (truth, _, classes, probabilities)) in enumerate(scored.items()):
        actual, positive = truth == classes[1], probabilities[:, 1]
        chosen = thresholds.get(name)
        chosen = 0.5 if chosen is None else chosen
        values = [_at(measured, actual, positive >= threshold, costs) for threshold in THRESHOLDS]
        colour, style = f"C{position}", LINE_STYLES.get(name, ":")
        axis.plot(THRESHOLDS, values, color=colour, linestyle=style, label=name)
        value = _at(measured, actual, positive >= chosen, costs)
        axis.plot([chosen], [value], "o", color=colour, markersize=8, label=f"{name} uses {chosen:.3f}: {value:.4g}")
    rows = len(next(iter(scored.values()))[0])
    better = "lower is better" if measured == "cost" else "higher is better"
    axis.set(xlabel="decision threshold (probability of the positive class)", ylabel=f"{measured} ({better})")
    axis.set_title(f"{measured} on {rows} test rows against the threshold")
    axis.legend(fontsize="small")


def _at(measured: str, actual: NDArray[Any], predicted: NDArray[Any], costs: MisclassificationCosts | None) -> float:
    """f1, accuracy or cost of the positive-class decisions `predicted`."""
    if measured == "accuracy":
        return float(np.mean(actual == predicted))
    false_positives, false_negatives = int(np.sum(predicted & ~actual)), int(np.sum(actual & ~predicted))
    if measured == "cost" and costs is not None:
        return false_positives * costs.false_positive + false_negatives * costs.false_negative
    true_positives = int(np.sum(actual & predicted))
    counted = 2 * true_positives + false_positives + false_negatives
    return 2 * true_positives / counted if counted else 0.0


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
