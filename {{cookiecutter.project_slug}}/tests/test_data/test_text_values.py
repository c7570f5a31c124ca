"""Values as the text categories, labels and the train/test split compare: a float column's fast path agrees with
the one-value rule, value for value."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from {{ cookiecutter.package_name }}.training.splitting import in_test_set
from {{ cookiecutter.package_name }}.utils.frames import as_text, value_text

AWKWARD_FLOATS = [np.nan, -0.0, 0.0, np.inf, -np.inf, 1e20, 2.0**60, 5.0, -5.0, 5.5, 1e-300, 0.1, 1 / 3]


def _one_value_at_a_time(values: pd.Series) -> list[object]:
    return [value_text(value) for value in values.tolist()]


def test_a_float_column_gets_the_text_of_each_value() -> None:
    generator = np.random.default_rng(5)
    numbers = np.concatenate([AWKWARD_FLOATS, generator.normal(0, 1000, 5_000).round(3), np.arange(200.0)])
    column = pd.Series(numbers, index=np.arange(len(numbers)) * 3, name="reading")

    text = as_text(column)

    assert text.dtype == object
    assert text.name == "reading"
    assert text.index.equals(column.index)
    expected = _one_value_at_a_time(column)
    assert [None if value != value else value for value in text.tolist()] == [
        None if value != value else value for value in expected
    ]
    assert text.iloc[: len(AWKWARD_FLOATS)].tolist()[1:6] == ["0", "0", "inf", "-inf", "100000000000000000000"]


def test_nullable_floats_and_text_columns_get_the_same_rule() -> None:
    nullable = pd.Series(pd.array([1.0, None, 2.5], dtype="Float64"))
    words = pd.Series([" pump ", None, 3, 3.0, True], dtype=object)

    assert as_text(nullable).tolist()[0::2] == ["1", "2.5"]
    assert pd.isna(as_text(nullable).iloc[1])
    assert as_text(words).tolist()[0::2] == ["pump", "3", "true"]
    assert as_text(words).iloc[3] == "3"


@pytest.mark.parametrize("dtype", [object, "str"])
def test_a_column_of_strings_gets_the_text_of_each_value(dtype) -> None:
    """Strings are formatted once per distinct value: each row still gets the one-value rule's text."""
    generator = np.random.default_rng(9)
    words = [" north", "south ", "east", "", "  ", "Yes", "yes", None, np.nan, "1", "1.0", "é"]
    column = pd.Series(generator.choice(np.array(words, dtype=object), 5_000), index=np.arange(5_000) * 2)
    column = column.astype(dtype)

    text = as_text(column)

    assert text.dtype == object
    assert text.index.equals(column.index)
    expected = _one_value_at_a_time(column)
    assert [None if value != value else value for value in text.tolist()] == [
        None if value != value else value for value in expected
    ]


def test_the_split_does_not_depend_on_how_a_number_was_read() -> None:
    readings = np.where(np.arange(400) % 7 == 0, np.nan, np.arange(400) * 0.25)
    as_floats = pd.DataFrame({"reading": readings, "label": np.where(np.arange(400) % 5 == 0, "pos", "neg")})
    as_words = as_floats.assign(reading=[None if value != value else repr(value) for value in readings.tolist()])

    types = {"reading": "numeric"}
    chosen = in_test_set(as_floats, 0.3, seed=11, column_types=types)

    assert 0.2 < chosen.mean() < 0.4
    assert (chosen == in_test_set(as_words, 0.3, seed=11, column_types=types)).all()
