"""Inferring config/schema.yaml from a data file: column types, columns to drop and why, missing markers, classes.

The same file always gives the same text, so re-running `schema` changes nothing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..exception import InputError
from ..training.leakage import Leak, find_leaks
from ..utils.frames import as_text, as_timestamps, typed_features, value_text
from ..utils.labels import label_key, labels_text, match_label, match_labels

# Spellings of "no value" recognised anywhere, compared lower-cased ("" is an empty cell).
MISSING_MARKERS = frozenset({"", "?", "na", "n/a", "nan", "null", "#n/a", "<na>"})
# Recognised only inside a column whose other values are numbers (elsewhere they may be real categories).
NUMERIC_MISSING_MARKERS = frozenset({"-", "--", ".", "none", "missing", "unknown"})
_BOOLEAN_PAIRS = ({"true", "false"}, {"yes", "no"}, {"t", "f"}, {"y", "n"})
_ID_NAME = re.compile(r"(^|[_\W])(id|uuid|guid|key|index)$|^(id|uuid|guid)([_\W]|$)", re.IGNORECASE)
# An ISO 8601 date, optionally with a time and a zone: 2024-05-31, 2024-05-31T08:15, 2024-05-31 08:15:00.5+02:00.
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$")
_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
_YAML_WORDS = frozenset({"true", "false", "yes", "no", "on", "off", "y", "n", "null", "none", "~"})
# A text column with more distinct values than this, and than this share of the rows, is not a category.
MAX_CATEGORIES = 100
MAX_CATEGORY_SHARE = 0.5
FREE_TEXT_LENGTH = 40
MAX_CLASSES = 50


@dataclass(frozen=True)
class ColumnDecision:
    name: str
    kind: str
    drop_reason: str | None = None

    def describe(self) -> str:
        return f"{self.name}: dropped, {self.drop_reason}" if self.drop_reason else f"{self.name}: {self.kind}"

    @property
    def is_id(self) -> bool:
        """Dropped as an ID: a different value in every row, which names a row rather than describing it."""
        return (self.drop_reason or "").startswith("ID-like")


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

    def report(self) -> list[str]:
        """What was decided and why, one line each, for the terminal."""
        lines = [f"target {self.target}: classes {', '.join(self.classes)}"]
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


def _is_boolean(values: pd.Series) -> bool:
    if pd.api.types.is_bool_dtype(values):
        return True
    if pd.api.types.is_numeric_dtype(values):
        return False
    distinct = set(as_text(values).dropna().str.lower())
    return any(distinct <= pair for pair in _BOOLEAN_PAIRS) and len(distinct) == 2


def _is_date(values: pd.Series) -> bool:
    """Every present value is an ISO date or timestamp that parses (a datetime column, as Parquet has it, too)."""
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        return True
    if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return False
    text = as_text(values.dropna())
    return bool(len(text)) and bool(text.str.match(_ISO_DATE).all()) and bool(as_timestamps(text).notna().all())


def _kind(values: pd.Series) -> str:
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return "numeric"
    return "boolean" if _is_boolean(values) else "datetime" if _is_date(values) else "categorical"


def _decide(name: str, values: pd.Series) -> ColumnDecision:
    present = values.dropna()
    rows = len(values)
    kind = _kind(values)
    numeric = kind == "numeric"
    if present.empty:
        return ColumnDecision(name, kind, "empty: no values at all")
    distinct = present.map(value_text).nunique()
    if distinct == 1:
        return ColumnDecision(name, kind, "constant: the same value in every row, carries no information")
    if kind in {"boolean", "datetime"}:  # a timestamp differs in every row without naming the row
        return ColumnDecision(name, kind)
    unique_per_row = distinct == rows and rows > 1
    if numeric:
        integers = bool(np.all(np.mod(present.to_numpy(dtype=float), 1) == 0))
        if unique_per_row and integers and (_ID_NAME.search(name) or present.is_monotonic_increasing):
            return ColumnDecision(name, kind, "ID-like: a different whole number in every row")
        return ColumnDecision(name, kind)
    text = as_text(present)
    if text.str.len().mean() > FREE_TEXT_LENGTH and text.str.contains(" ").mean() > 0.5:
        return ColumnDecision(name, kind, f"free text: long values ({distinct} distinct), not categories")
    if unique_per_row or (distinct == len(present) and _ID_NAME.search(name)):
        return ColumnDecision(name, kind, "ID-like: a different value in every row")
    if distinct > MAX_CATEGORIES and distinct > MAX_CATEGORY_SHARE * len(present):
        return ColumnDecision(name, kind, f"very high cardinality: {distinct} distinct values")
    return ColumnDecision(name, kind)


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


def infer_schema(
    frame: pd.DataFrame,
    target: str,
    missing_values: tuple[str, ...],
    positive: str | None = None,
    spelled_labels: pd.Series | None = None,
) -> InferredSchema:
    """Decide every column of `frame` (already read with `missing_values` as missing).

    `spelled_labels`: the target's cells as the file writes them (a CSV's `True`, which pandas reads as a boolean),
    in the rows of `frame`; by default the target's values.
    """
    if target not in frame.columns:
        raise InputError(f"no column '{target}' in the data; columns: {', '.join(map(str, frame.columns))}")
    present = frame[target].notna()
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
    decisions = tuple(_decide(str(column), frame[column]) for column in frame.columns if column != target)
    if all(decision.drop_reason for decision in decisions):
        raise InputError("no usable feature column: every column besides the target would be dropped")
    leaks = _leaks(frame, labels, classes, decisions)
    return InferredSchema(target, classes, positive, reason, missing_values, decisions, tuple(notes), leaks)


def _leaks(
    frame: pd.DataFrame, labels: pd.Series, classes: tuple[str, ...], decisions: tuple[ColumnDecision, ...]
) -> tuple[Leak, ...]:
    """The kept columns that alone predict the target almost perfectly (`training/leakage.py`)."""
    matched, _ = match_labels(labels, classes)
    labelled = matched.notna().to_numpy()
    kept = {decision.name: decision.kind for decision in decisions if decision.drop_reason is None}
    try:
        features = typed_features(frame.loc[labelled], kept)
    except InputError:  # a column the types do not fit: validation names it later
        return ()
    encoded = matched[labelled].map({label: index for index, label in enumerate(classes)}).to_numpy(dtype=int)
    return tuple(find_leaks(features, encoded, kept))


def _scalar(text: str) -> str:
    """A YAML scalar that reads back as exactly this string."""
    if _PLAIN.match(text) and text.lower() not in _YAML_WORDS:
        return text
    return json.dumps(text, ensure_ascii=False)


def _quoted(label: str) -> str:
    """A label, always quoted: unquoted, YAML would read `True` as a boolean and `1` as a number."""
    return json.dumps(label, ensure_ascii=False)


def render_schema_yaml(schema: InferredSchema, source: str) -> str:
    """config/schema.yaml as text, with the reason of every decision as a comment."""
    lines = [
        f"# What the raw data looks like, inferred from {source} by the `schema` command; edit it freely.",
        "# Validation checks every run against it, and prediction input too.",
        "",
        "target:                 # the column to predict and every label it takes",
        f"  column: {_scalar(schema.target)}",
        f"  classes: [{', '.join(_quoted(label) for label in schema.classes)}]  # as the data spells them",
    ]
    if schema.positive is not None:
        lines.append(f"  positive: {_quoted(schema.positive)}  # {schema.positive_reason}")
    markers = ", ".join(json.dumps(marker, ensure_ascii=False) for marker in schema.missing_values)
    lines += ["", f'missing_values: [{markers}]  # values that mean "no value" in the raw data', ""]
    dropped = [decision for decision in schema.columns if decision.drop_reason]
    if dropped:
        lines.append("drop_columns:           # present in the raw data but not used as features")
        lines += [f"  - {_scalar(decision.name)}  # {decision.drop_reason}" for decision in dropped]
    else:
        lines.append("drop_columns: []       # present in the raw data but not used as features")
    lines += ["", "columns:              # every raw column except the target: numeric, categorical, boolean, datetime"]
    leaking = {leak.column for leak in schema.leaks}
    lines += [
        f"  {_scalar(decision.name)}: {decision.kind}"
        + ("  # warning: alone predicts the target: a leak?" if decision.name in leaking else "")
        for decision in schema.columns
    ]
    return "\n".join(lines) + "\n"
