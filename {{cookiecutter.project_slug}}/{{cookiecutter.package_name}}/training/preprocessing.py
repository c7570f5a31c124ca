"""The preprocessing half of the saved model: one ColumnTransformer for numeric, categorical, boolean and date
columns.

It is fitted together with the estimator (inside one Pipeline), so every cross-validation fold and the final
fit see only their own training rows, and prediction always preprocesses as training did. Libraries that split on
categories themselves (LightGBM, XGBoost) get the categorical columns as pandas `category` columns instead of one-hot
columns, with the categories seen in training fixed inside the fitted preprocessing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, RobustScaler

from ..constants import MISSING_CATEGORY
from ..entity.config_entity import CategoricalEncoding
from ..utils.frames import per_distinct
from .date_features import DateParts

# One-hot columns per categorical feature at most; rarer categories share one "infrequent" column.
MAX_CATEGORIES = 30


# Characters LightGBM (JSON) or XGBoost refuse in a feature name; the booster gets them as "_".
_UNSAFE_NAME = re.compile(r"[^\w.\-]")


class NativeCategories(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Text columns as pandas `category` columns whose categories are the values seen in training.

    A value never seen in training, or a missing one, becomes a missing category: the library sends it down its
    learned missing-value branch instead of raising, and codes mean the same at fit and at prediction.
    """

    def fit(self, features: pd.DataFrame, labels: Any = None) -> NativeCategories:
        frame = pd.DataFrame(features)
        self.feature_names_in_ = np.asarray(frame.columns, dtype=object)
        self.n_features_in_ = len(frame.columns)
        # A column without any value in training keeps one placeholder category: XGBoost refuses an empty list.
        self.categories_ = {
            str(column): sorted({str(value) for value in frame[column].dropna()}) or [MISSING_CATEGORY]
            for column in frame.columns
        }
        return self

    def transform(self, features: pd.DataFrame) -> pd.DataFrame:
        frame = pd.DataFrame(features, columns=self.feature_names_in_)
        columns = {
            column: _known_categories(frame[column], categories) for column, categories in self.categories_.items()
        }
        return pd.DataFrame(columns, index=frame.index)

    def get_feature_names_out(self, input_features: Any = None) -> NDArray[Any]:
        return np.asarray(list(self.categories_), dtype=object)


def _known_categories(values: pd.Series, categories: list[str]) -> pd.Categorical[Any]:
    """`values` as text among `categories`; other values and gaps missing. Each distinct value is looked up once."""
    if pd.api.types.infer_dtype(values, skipna=True) != "string":  # 1, 1.0 and True are equal keys, not equal texts
        values = values.astype(object).map(lambda value: value if pd.isna(value) else str(value))
    position = {category: index for index, category in enumerate(categories)}
    codes = per_distinct(values, lambda distinct: distinct.map(position)).fillna(-1)  # -1: missing or unseen
    return pd.Categorical.from_codes(codes.to_numpy(dtype=np.intp), dtype=pd.CategoricalDtype(categories))


class BoosterFeatureNames(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Renames the preprocessed columns to names every booster accepts (unique, no brackets, quotes or colons)."""

    def fit(self, features: pd.DataFrame, labels: Any = None) -> BoosterFeatureNames:
        names: list[str] = []
        for position, column in enumerate(features.columns):
            name = _UNSAFE_NAME.sub("_", str(column)) or f"feature_{position}"
            names.append(f"{name}_{position}" if name in names else name)
        self.feature_names_in_ = np.asarray(features.columns, dtype=object)
        self.names_ = names
        return self

    def transform(self, features: pd.DataFrame) -> pd.DataFrame:
        return features.set_axis(self.names_, axis=1)

    def get_feature_names_out(self, input_features: Any = None) -> NDArray[Any]:
        return np.asarray(self.names_, dtype=object)


class CategoryEncoder(OneHotEncoder):  # type: ignore[misc]
    """One-hot columns in which a missing value is the category MISSING_CATEGORY, the text the ONNX inputs give it:
    the exported graph then needs no missing-value step (skl2onnx cannot impute text), and gaps and unseen values
    are encoded as scikit-learn encodes them (`training/onnx_converters.py`)."""

    def fit(self, features: Any, labels: Any = None) -> CategoryEncoder:
        super().fit(_gaps_as_text(features), labels)
        return self

    def transform(self, features: Any) -> Any:
        return super().transform(_gaps_as_text(features))


def _gaps_as_text(features: Any) -> Any:
    if isinstance(features, pd.DataFrame):
        return features.astype(object).where(features.notna(), MISSING_CATEGORY)
    values = np.asarray(features, dtype=object)
    return np.where(pd.isna(values), MISSING_CATEGORY, values)


def native_categorical_columns(preprocess: Any) -> list[str]:
    """The columns a fitted preprocessing hands to the estimator as native categories (none for one-hot)."""
    steps = getattr(preprocess, "steps", [(None, preprocess)])
    found: list[str] = []
    for _, step in steps:
        for _, transformer, _ in getattr(step, "transformers_", []):
            if isinstance(transformer, NativeCategories):
                found.extend(transformer.categories_)
    return found


def _categorical(encoding: CategoricalEncoding) -> CategoryEncoder | NativeCategories:
    if encoding == "native":
        return NativeCategories()
    # Unseen categories at prediction time join the infrequent column, or become all-zero rows, instead of an error.
    return CategoryEncoder(handle_unknown="infrequent_if_exist", max_categories=MAX_CATEGORIES, sparse_output=False)


def build_preprocessor(
    feature_types: Mapping[str, str], encoding: CategoricalEncoding = "onehot"
) -> ColumnTransformer | Pipeline:
    """Numeric: median imputation and robust scaling (long tails); booleans: most frequent value; dates: their
    calendar parts (`date_features.py`), median imputed; categories one-hot, or (`native`, when there are
    categories) pandas categories in a DataFrame with names every booster accepts."""
    numeric = [name for name, kind in feature_types.items() if kind == "numeric"]
    boolean = [name for name, kind in feature_types.items() if kind == "boolean"]
    categorical = [name for name, kind in feature_types.items() if kind == "categorical"]
    dates = [name for name, kind in feature_types.items() if kind == "datetime"]
    transformers = []
    if numeric:
        transformers.append(
            (
                "numeric",
                Pipeline(
                    [
                        ("impute", SimpleImputer(strategy="median", keep_empty_features=True)),
                        ("scale", RobustScaler()),
                    ]
                ),
                numeric,
            )
        )
    if boolean:
        transformers.append(("boolean", SimpleImputer(strategy="most_frequent", keep_empty_features=True), boolean))
    if dates:
        date_parts = Pipeline(
            [("parts", DateParts()), ("impute", SimpleImputer(strategy="median", keep_empty_features=True))]
        )
        transformers.append(("datetime", date_parts, dates))
    if categorical:
        transformers.append(("categorical", _categorical(encoding), categorical))
    columns = ColumnTransformer(transformers, remainder="drop", verbose_feature_names_out=False)
    if encoding != "native" or not categorical:
        return columns
    return Pipeline([("columns", columns.set_output(transform="pandas")), ("names", BoosterFeatureNames())])
