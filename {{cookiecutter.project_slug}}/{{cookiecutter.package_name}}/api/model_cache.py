"""The production model as the server sees it: reloaded as soon as a new version becomes current.

It is held as a predictor: onnxruntime when the version has a checked model.onnx, scikit-learn otherwise.
"""

from __future__ import annotations

import gc
import threading

from {{ cookiecutter.package_name }}.constants import ONNX_MODEL_FILE
from {{ cookiecutter.package_name }}.ml.fast_predictor import Predictor, load_predictor
from {{ cookiecutter.package_name }}.ml.model import TabularModel
from {{ cookiecutter.package_name }}.registry.model_registry import ModelRegistry, ProductionModel


class ModelCache:
    def __init__(self, registry: ModelRegistry) -> None:
        self.registry = registry
        self._lock = threading.Lock()
        self._loaded: tuple[ProductionModel, Predictor] | None = None

    def get(self) -> tuple[ProductionModel, Predictor] | None:
        """The current model; reading the CURRENT pointer on each call costs one small file read."""
        with self._lock:
            version = self.registry.current_version()
            if version is None and self.registry.mirror is not None:
                current = self.registry.current()
                version = current.version if current else None
            if version is None:
                self._loaded = None
            elif self._loaded is None or self._loaded[0].version != version:
                production = self.registry.get(version)
                model = TabularModel.load(production.model_path)
                self._loaded = (production, load_predictor(model, production.directory / ONNX_MODEL_FILE))
                _exempt_from_garbage_collection()
            return self._loaded

    def loaded_if_current(self) -> tuple[ProductionModel, Predictor] | None:
        """The loaded model while it is still the current version: one small file read, never a model load."""
        loaded = self._loaded
        if loaded is not None and self.registry.current_version() == loaded[0].version:
            return loaded
        return None


def _exempt_from_garbage_collection() -> None:
    """Move everything loaded so far (libraries, the model) out of the collector's reach.

    A full collection walks every object of the process: with scikit-learn, pandas and onnxruntime loaded, that
    pause, every few thousand requests, set the p99 latency. After a freeze it walks only what requests create.
    """
    gc.collect()
    gc.freeze()
