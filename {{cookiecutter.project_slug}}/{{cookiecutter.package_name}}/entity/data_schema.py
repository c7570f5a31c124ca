"""What the raw data looks like (config/schema.yaml), and the data contract a production version keeps."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


def numeric_feature_columns(feature_types: Mapping[str, str]) -> tuple[str, ...]:
    """Feature columns read as numbers: the only ones an infinite value can be refused in."""
    return tuple(name for name, kind in feature_types.items() if kind == "numeric")


@dataclass(frozen=True)
class DataSchema:
    """What the raw data looks like: read from config/schema.yaml.

    `classes` are the target's labels in the estimator's order; with two classes the positive one is last. A
    regression target (`task` "regression", a measurement) has no classes.
    """

    target: str
    classes: tuple[str, ...]
    column_types: tuple[tuple[str, str], ...]
    positive_label: str | None = None
    drop_columns: tuple[str, ...] = ()
    missing_values: tuple[str, ...] = ()
    task: str = "classification"

    @property
    def is_regression(self) -> bool:
        return self.task == "regression"

    @property
    def columns(self) -> tuple[str, ...]:
        """Every raw feature column named in the schema, dropped ones included."""
        return tuple(name for name, _ in self.column_types)

    @property
    def feature_columns(self) -> tuple[str, ...]:
        """Columns the model sees: every schema column except the dropped ones."""
        return tuple(column for column in self.columns if column not in self.drop_columns)

    @property
    def feature_types(self) -> dict[str, str]:
        """Feature column -> numeric | categorical | boolean | datetime, in schema order."""
        return {name: kind for name, kind in self.column_types if name not in self.drop_columns}

    @property
    def numeric_columns(self) -> tuple[str, ...]:
        return numeric_feature_columns(self.feature_types)

    @property
    def is_binary(self) -> bool:
        return len(self.classes) == 2

    @property
    def negative_label(self) -> str | None:
        """Two classes only: the class that is not the positive one."""
        return self.classes[0] if self.is_binary else None

    @property
    def contract(self) -> str:
        """The fingerprint of the data contract: target, classes and feature columns with their types. A model
        trained under one contract can score any table of that contract; missing markers do not count."""
        terms: dict[str, Any] = {"target": self.target, "classes": self.classes, "positive": self.positive_label}
        if self.is_regression:  # classification contracts keep the fingerprint they had before tasks existed
            terms["task"] = self.task
        canonical = json.dumps({**terms, "features": self.feature_types}, sort_keys=True)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]

    def contract_changes(self, before: DataSchema) -> list[str]:
        """How this contract differs from `before`, in words (empty when it is the same)."""
        changes = [] if self.target == before.target else [f"target {before.target} -> {self.target}"]
        if self.task != before.task:
            changes.append(f"task {before.task} -> {self.task}")
        if (self.classes, self.positive_label) != (before.classes, before.positive_label):
            changes.append(f"classes {list(before.classes)} -> {list(self.classes)}")
        new, old = self.feature_types, before.feature_types
        for word, columns in (("added", new.keys() - old.keys()), ("removed", old.keys() - new.keys())):
            if columns:
                changes.append(f"{len(columns)} feature(s) {word} ({', '.join(sorted(columns)[:5])})")
        retyped = sorted(column for column in new.keys() & old.keys() if new[column] != old[column])
        if retyped:
            changes.append(f"{len(retyped)} feature(s) retyped ({', '.join(retyped[:5])})")
        return changes

    def as_dict(self) -> dict[str, Any]:
        """The schema as each production version keeps it (metadata.json, `data_schema`)."""
        return {
            "target": self.target,
            "classes": list(self.classes),
            "positive_label": self.positive_label,
            "column_types": dict(self.column_types),
            "drop_columns": list(self.drop_columns),
            "missing_values": list(self.missing_values),
            "task": self.task,
        }

    @classmethod
    def from_dict(cls, saved: Mapping[str, Any]) -> DataSchema:
        return cls(
            target=str(saved["target"]),
            classes=tuple(str(label) for label in saved["classes"]),
            column_types=tuple((str(name), str(kind)) for name, kind in dict(saved["column_types"]).items()),
            positive_label=None if saved.get("positive_label") is None else str(saved["positive_label"]),
            drop_columns=tuple(str(column) for column in saved.get("drop_columns", ())),
            missing_values=tuple(str(marker) for marker in saved.get("missing_values", ())),
            task=str(saved.get("task", "classification")),
        )
