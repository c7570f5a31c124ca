"""The preprocessing half of the saved model: one ColumnTransformer for numeric, categorical and boolean columns.

It is fitted together with the estimator (inside one Pipeline), so every cross-validation fold and the final
fit see only their own training rows, and prediction always preprocesses as training did.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, RobustScaler

CategoricalEncoding = Literal["onehot", "ordinal"]
MISSING_CATEGORY = "__missing__"
# One-hot columns per categorical feature at most; rarer categories share one "infrequent" column.
MAX_CATEGORIES = 30


def _categorical(encoding: CategoricalEncoding) -> Pipeline | OrdinalEncoder:
    if encoding == "ordinal":
        # Tree libraries split on the codes and treat NaN as missing: unseen and missing categories become NaN.
        return OrdinalEncoder(
            handle_unknown="use_encoded_value", unknown_value=np.nan, encoded_missing_value=np.nan, dtype=float
        )
    return Pipeline(
        [
            ("impute", SimpleImputer(strategy="constant", fill_value=MISSING_CATEGORY)),
            # Unseen categories at prediction time become all-zero rows instead of an error.
            (
                "encode",
                OneHotEncoder(handle_unknown="infrequent_if_exist", max_categories=MAX_CATEGORIES, sparse_output=False),
            ),
        ]
    )


def build_preprocessor(feature_types: Mapping[str, str], encoding: CategoricalEncoding = "onehot") -> ColumnTransformer:
    """Numeric: median imputation and robust scaling (long tails); booleans: most frequent value; categories
    one-hot (or ordinal codes for tree libraries that handle missing values themselves)."""
    numeric = [name for name, kind in feature_types.items() if kind == "numeric"]
    boolean = [name for name, kind in feature_types.items() if kind == "boolean"]
    categorical = [name for name, kind in feature_types.items() if kind == "categorical"]
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
    if categorical:
        transformers.append(("categorical", _categorical(encoding), categorical))
    return ColumnTransformer(transformers, remainder="drop", verbose_feature_names_out=False)
