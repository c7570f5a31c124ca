"""The typed shape of config/schema.yaml: what the raw data looks like, turned into the DataSchema entity."""

from __future__ import annotations

from typing import Any, Literal

import yaml
from pydantic import Field, field_validator, model_validator

from ..entity.config_entity import StrictSettings
from ..entity.data_schema import DataSchema

ColumnType = Literal["numeric", "categorical", "boolean", "datetime"]
# Older spellings, read as the type they mean so a hand-written schema keeps working.
_TYPE_ALIASES = {
    "float": "numeric",
    "int": "numeric",
    "integer": "numeric",
    "number": "numeric",
    "str": "categorical",
    "string": "categorical",
    "category": "categorical",
    "text": "categorical",
    "bool": "boolean",
    "date": "datetime",
    "timestamp": "datetime",
}


def _as_label(value: object) -> object:
    """A label given as a YAML number or boolean, as text: `True` (a CSV's True as pandas reads it), `1` for 1.0,
    as `utils/labels.label_text` spells them (not imported: loading the settings needs no pandas)."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value) if isinstance(value, (int, float)) else value


def labels_as_written(content: dict[str, Any], text: str) -> dict[str, Any]:
    """schema.yaml's mapping with `target.classes` and `target.positive` as the file spells them.

    YAML reads an unquoted `True`, `yes` or `on` as a boolean and `1` as a number; a label is the data's text, so a
    hand-written `classes: [yes, no]` means the labels `yes` and `no`, not `True` and `False`.
    """
    target = content.get("target")
    try:
        written = yaml.load(text, Loader=yaml.BaseLoader)  # noqa: S506 - BaseLoader builds only strings, lists, dicts
    except yaml.YAMLError:
        return content
    spelled = written.get("target") if isinstance(written, dict) else None
    if not isinstance(target, dict) or not isinstance(spelled, dict):
        return content
    target = dict(target)
    classes, spelled_classes = target.get("classes"), spelled.get("classes")
    if isinstance(classes, list) and isinstance(spelled_classes, list) and len(classes) == len(spelled_classes):
        target["classes"] = [
            as_written if isinstance(value, (bool, int, float)) else value
            for value, as_written in zip(classes, spelled_classes, strict=True)
        ]
    if isinstance(target.get("positive"), (bool, int, float)) and isinstance(spelled.get("positive"), str):
        target["positive"] = spelled["positive"]
    return {**content, "target": target}


class TargetSettings(StrictSettings):
    column: str = Field(min_length=1)
    task: Literal["classification", "regression"] = Field(
        default="classification", description="classes to decide between, or a measurement to estimate"
    )
    classes: list[str] = Field(default_factory=list, description="classification: every label the target takes")
    positive: str | None = Field(default=None, description="two classes only: the class the model must find")

    @field_validator("classes", mode="before")
    @classmethod
    def _classes_as_text(cls, value: object) -> object:
        return [_as_label(item) for item in value] if isinstance(value, list) else value

    @field_validator("positive", mode="before")
    @classmethod
    def _positive_as_text(cls, value: object) -> object:
        return _as_label(value)

    @model_validator(mode="after")
    def _consistent(self) -> TargetSettings:
        if self.task == "regression":
            if self.classes or self.positive is not None:
                raise ValueError("a regression target has no `classes` or `positive`; remove them")
            return self
        if len(self.classes) < 2:
            raise ValueError("a classification target needs `classes`: at least two labels")
        if len(set(self.classes)) != len(self.classes):
            raise ValueError("classes must not repeat a label")
        if len(self.classes) == 2 and self.positive is None:
            raise ValueError("two classes need `positive`: the class the model must find")
        if len(self.classes) > 2 and self.positive is not None:
            raise ValueError("`positive` is only for two classes; remove it for more")
        if self.positive is not None and self.positive not in self.classes:
            raise ValueError(f"positive {self.positive!r} is not one of classes {self.classes}")
        return self


class SchemaFile(StrictSettings):
    target: TargetSettings
    missing_values: list[str] = Field(default_factory=list)
    drop_columns: list[str] = Field(default_factory=list)
    columns: dict[str, ColumnType] = Field(min_length=1)

    @field_validator("missing_values", mode="before")
    @classmethod
    def _markers_as_text(cls, value: object) -> object:
        return ["" if item is None else str(item) for item in value] if isinstance(value, list) else value

    @field_validator("columns", mode="before")
    @classmethod
    def _known_aliases(cls, value: object) -> object:
        if not isinstance(value, dict):
            return value
        return {str(name): _TYPE_ALIASES.get(str(kind).lower(), kind) for name, kind in value.items()}

    @model_validator(mode="after")
    def _consistent(self) -> SchemaFile:
        unknown = sorted(set(self.drop_columns) - set(self.columns))
        if unknown:
            raise ValueError(f"drop_columns not listed under columns: {', '.join(unknown)}")
        if not set(self.columns) - set(self.drop_columns):
            raise ValueError("drop_columns leaves no feature columns")
        if self.target.column in self.columns:
            raise ValueError(f"the target {self.target.column!r} must not be listed under columns")
        return self

    def entity(self) -> DataSchema:
        classes = list(self.target.classes)
        if self.target.positive is not None:
            # The positive class last: it is class 1 for the estimator and column 1 of its probabilities.
            classes = [label for label in classes if label != self.target.positive] + [self.target.positive]
        return DataSchema(
            target=self.target.column,
            classes=tuple(classes),
            positive_label=self.target.positive,
            column_types=tuple(self.columns.items()),
            drop_columns=tuple(self.drop_columns),
            missing_values=tuple(self.missing_values),
            task=self.target.task,
        )
