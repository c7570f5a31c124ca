from __future__ import annotations

from {{ cookiecutter.package_name }}.builders.data_source import build_data_source
from {{ cookiecutter.package_name }}.configuration import Settings


def test_csv_source_turns_missing_markers_into_missing_values(settings: Settings) -> None:
    frame = build_data_source(settings).read()

    assert len(frame) > 1000
    assert set(settings.schema.columns) <= set(frame.columns)
    assert frame[list(settings.schema.feature_columns)].isna().any().any()
    for marker in settings.schema.missing_values:
        assert not (frame.astype(str) == marker).any().any()
