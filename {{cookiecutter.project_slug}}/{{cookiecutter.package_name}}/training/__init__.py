"""What fits a model: preprocessing, estimators, resampling, threshold, split, metrics, scoring, ONNX export."""
