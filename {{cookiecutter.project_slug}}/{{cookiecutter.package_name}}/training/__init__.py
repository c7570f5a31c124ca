"""Fitting a model: preprocessing, estimators, resampling, threshold, pipeline, split, metrics, scoring, leaks, ONNX."""
