"""Inferring config/schema.yaml from a data file: column types, columns to drop and why, missing markers, classes.

The same file always gives the same text, so re-running `schema` changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..exception import InputError
from ..training.leakage import Leak, find_leaks, quartile_classes
from ..utils.frames import typed_features
from ..utils.labels import label_key, labels_text, match_label, match_labels
from .columns import ColumnDecision, decide_column

# Spellings of "no value" recognised anywhere, compared lower-cased ("" is an empty cell).
MISSING_MARKERS = frozenset({"", "?", "na", "n/a", "nan", "null", "#n/a", "<na>"})
# Recognised only inside a column whose other values are numbers (elsewhere they may be real categories).
NUMERIC_MISSING_MARKERS = frozenset({"-", "--", ".", "none", "missing", "unknown"})
MAX_CLASSES = 50
# A target of whole numbers with more distinct values than this is a count or a measurement, not classes.
MAX_INTEGER_CLASSES = 10
TASKS = ("classification", "regression")


@dataclass(frozen=True)
class InferredSchema:
    target: str
    classes: tuple[str, ...]
    positive: str | None
    positive_reason: str | None
    missing_values: tuple[str, ...]
    columns: tuple[ColumnDecision, ...] = field(default_factory=tuple)
    label_notes: tuple[str, ...] = ()
    leaks: tuple[Leak, ...] = ()
    task: str = "classification"
    task_reason: str = ""
    unlabelled_rows: int = 0

    def report(self) -> list[str]:
        """What was decided and why, one line each, for the terminal."""
        if self.task == "regression":
            lines = [f"target {self.target}: regression, {self.task_reason}"]
        else:
            lines = [f"target {self.target}: classes {', '.join(self.classes)}"]
            lines += [f"  {self.task_reason}"] if self.task_reason else []
        if self.unlabelled_rows:
            lines.append(f"{self.unlabelled_rows} rows without a '{self.target}' value: left out of training")
        lines += [f"  labels {note}" for note in self.label_notes]
        if self.positive is not None:
            lines.append(f"positive class {self.positive} ({self.positive_reason})")
        markers = ", ".join(repr(marker) for marker in self.missing_values) or "none"
        lines.append(f"missing-value markers found: {markers}")
        lines += [f"  {decision.describe()}" for decision in self.columns]
        if self.id_columns:
            lines.append(
                f"ID columns, dropped as features: {', '.join(self.id_columns)}; "
                "keep them in the files you predict on to join the predictions back to your rows"
            )
        lines += [f"warning: {leak.describe()}" for leak in self.leaks]
        return lines

    @property
    def id_columns(self) -> tuple[str, ...]:
        """The columns dropped as IDs, in the table's order."""
        return tuple(decision.name for decision in self.columns if decision.is_id)


def find_missing_markers(raw: pd.DataFrame) -> tuple[str, ...]:
    """Markers of "no value" present in the file (read as text), sorted; pandas' defaults are found too."""
    found: set[str] = set()
    for column in raw.columns:
        values = raw[column].astype(str)
        lowered = values.str.strip().str.lower()
        found.update(values[lowered.isin(MISSING_MARKERS)].unique())
        numeric = pd.to_numeric(values, errors="coerce").notna()
        others = ~numeric & ~lowered.isin(MISSING_MARKERS)
        if numeric.sum() and others.any() and lowered[others].isin(NUMERIC_MISSING_MARKERS).all():
            found.update(values[others].unique())
    return tuple(sorted(found))


def _label_order(label: str) -> tuple[int, float, str]:
    """Numbers in numeric order first, then text in alphabetical order."""
    try:
        return (0, float(label), label)
    except ValueError:
        return (1, 0.0, label)


def spelled_classes(labels: pd.Series) -> tuple[tuple[str, ...], pd.Series, list[str]]:
    """The classes as the data spells them, each label's count, and a note for spellings read as one class.

    Spellings that differ only in case or a `.0` (`True` and `TRUE`, `1` and `1.0`) are one class, as pandas reads
    them: it is spelled as most rows spell it.
    """
    spellings = labels_text(labels).dropna().value_counts()
    by_key: dict[str, list[str]] = {}
    for spelled in sorted(spellings.index, key=lambda text: (-int(spellings[text]), text)):
        by_key.setdefault(label_key(spelled), []).append(spelled)
    counts = pd.Series({group[0]: int(spellings[group].sum()) for group in by_key.values()}, dtype="int64")
    notes = [f"{', '.join(map(repr, group))} are one class, spelled {group[0]!r}" for group in by_key.values()]
    classes = tuple(sorted(counts.index, key=_label_order))
    return classes, counts, [note for note, group in zip(notes, by_key.values(), strict=True) if len(group) > 1]


def decide_task(values: pd.Series, requested: str | None = None) -> tuple[str, str]:
    """Classification or regression for the target's present values, and why.

    Numbers that are not all whole, or more than MAX_INTEGER_CLASSES distinct whole numbers, are a measurement;
    a few whole numbers and any text are classes. `requested` (--task) overrides, if the values allow it.
    """
    present = values.dropna()
    numeric = pd.api.types.is_numeric_dtype(present) and not pd.api.types.is_bool_dtype(present)
    if requested == "regression" and not numeric:
        raise InputError("--task regression needs a target of numbers; this one holds text")
    if requested is not None:
        return requested, "chosen with --task"
    if not numeric:
        return "classification", ""
    numbers = present.to_numpy(dtype=float)
    distinct = len(np.unique(numbers))
    if not np.all(np.mod(numbers, 1) == 0):
        return "regression", "numbers with fractions: a measurement; choose --task classification to override"
    if distinct > MAX_INTEGER_CLASSES:
        return "regression", f"{distinct} distinct whole numbers: a count or a measurement; --task overrides"
    note = f"{distinct} whole numbers taken as classes; if they are a count, choose --task regression"
    return "classification", note if distinct > 2 else ""


def infer_schema(
    frame: pd.DataFrame,
    target: str,
    missing_values: tuple[str, ...],
    positive: str | None = None,
    spelled_labels: pd.Series | None = None,
    task: str | None = None,
) -> InferredSchema:
    """Decide every column of `frame` (already read with `missing_values` as missing).

    `spelled_labels`: the target's cells as the file writes them (a CSV's `True`, which pandas reads as a boolean),
    in the rows of `frame`; by default the target's values. `task`: --task, else decided from the target.
    """
    if target not in frame.columns:
        raise InputError(f"no column '{target}' in the data; columns: {', '.join(map(str, frame.columns))}")
    present = frame[target].notna()
    unlabelled = int((~present).sum())
    task, task_reason = decide_task(frame[target], task)
    if task == "regression":
        return _regression_schema(frame, target, missing_values, positive, task_reason, unlabelled)
    labels = frame[target] if spelled_labels is None else spelled_labels.where(present.to_numpy())
    classes, counts, notes = spelled_classes(labels)
    if len(classes) < 2:
        raise InputError(f"the target '{target}' needs at least two different values, found {len(classes)}")
    if len(classes) > MAX_CLASSES:
        raise InputError(
            f"the target '{target}' has {len(classes)} distinct values: this project does classification "
            f"(at most {MAX_CLASSES} classes); is it a measurement rather than a label?"
        )
    reason = None
    if positive is not None:
        if len(classes) != 2:
            raise InputError(f"--positive is for two classes; '{target}' has {len(classes)}")
        matched = match_label(positive, classes)
        if matched is None:
            raise InputError(f"--positive {positive!r} is not a value of '{target}' ({', '.join(classes)})")
        positive, reason = matched, "chosen with --positive"
    elif len(classes) == 2:
        # The rarer class is usually the one to find; a tie goes to the later label.
        positive = min(reversed(classes), key=lambda label: counts[label])
        reason = f"the rarer class, {counts[positive]} of {int(counts.sum())} rows; choose another with --positive"
    decisions = tuple(decide_column(str(column), frame[column]) for column in frame.columns if column != target)
    if all(decision.drop_reason for decision in decisions):
        raise InputError("no usable feature column: every column besides the target would be dropped")
    leaks = _leaks(frame, labels, classes, decisions)
    return InferredSchema(
        target, classes, positive, reason, missing_values, decisions, tuple(notes), leaks, task, task_reason, unlabelled
    )


def _regression_schema(
    frame: pd.DataFrame,
    target: str,
    missing_values: tuple[str, ...],
    positive: str | None,
    reason: str,
    unlabelled: int,
) -> InferredSchema:
    if positive is not None:
        raise InputError(f"--positive is for two classes; '{target}' is a measurement (regression)")
    if frame[target].nunique() < 2:
        raise InputError(f"the target '{target}' needs at least two different values")
    decisions = tuple(decide_column(str(column), frame[column]) for column in frame.columns if column != target)
    if all(decision.drop_reason for decision in decisions):
        raise InputError("no usable feature column: every column besides the target would be dropped")
    labelled = frame[target].notna().to_numpy()
    classes = quartile_classes(frame.loc[labelled, target].to_numpy(dtype=float))
    leaks = _leaking_columns(frame.loc[labelled], classes, decisions)
    return InferredSchema(
        target,
        (),
        None,
        None,
        missing_values,
        decisions,
        leaks=leaks,
        task="regression",
        task_reason=reason,
        unlabelled_rows=unlabelled,
    )


def _leaks(
    frame: pd.DataFrame, labels: pd.Series, classes: tuple[str, ...], decisions: tuple[ColumnDecision, ...]
) -> tuple[Leak, ...]:
    """The kept columns that alone predict the target almost perfectly (`training/leakage.py`)."""
    matched, _ = match_labels(labels, classes)
    labelled = matched.notna().to_numpy()
    encoded = matched[labelled].map({label: index for index, label in enumerate(classes)}).to_numpy(dtype=int)
    return _leaking_columns(frame.loc[labelled], encoded, decisions)


def _leaking_columns(
    frame: pd.DataFrame, classes: NDArray[Any], decisions: tuple[ColumnDecision, ...]
) -> tuple[Leak, ...]:
    """`find_leaks` on the kept columns of `frame`, whose rows have the class indices `classes`."""
    kept = {decision.name: decision.kind for decision in decisions if decision.drop_reason is None}
    try:
        features = typed_features(frame, kept)
    except InputError:  # a column the types do not fit: validation names it later
        return ()
    return tuple(find_leaks(features, classes, kept))
