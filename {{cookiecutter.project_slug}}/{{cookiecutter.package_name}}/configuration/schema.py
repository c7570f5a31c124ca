"""The typed shape of config/schema.yaml: what the raw data looks like, turned into the DataSchema entity."""

from __future__ import annotations

from pydantic import Field, field_validator, model_validator

from {{ cookiecutter.package_name }}.configuration.validation import StrictSettings
from {{ cookiecutter.package_name }}.entity.config_entity import DataSchema

ColumnType = str


class TargetSettings(StrictSettings):
    column: str = Field(min_length=1)
    positive: str
    negative: str

    @field_validator("positive", "negative", mode="before")
    @classmethod
    def _label_as_text(cls, value: object) -> object:
        """Labels are compared as text: `1` and `"1"` in the YAML mean the same label."""
        return str(value) if isinstance(value, (int, float, bool)) else value


class SchemaFile(StrictSettings):
    target: TargetSettings
    missing_values: list[str] = []
    drop_columns: list[str] = []
    columns: dict[str, ColumnType] = Field(min_length=1)

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
        return DataSchema(
            target=self.target.column,
            positive_label=self.target.positive,
            negative_label=self.target.negative,
            columns=tuple(self.columns),
            drop_columns=tuple(self.drop_columns),
            missing_values=tuple(self.missing_values),
        )
