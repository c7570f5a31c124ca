"""What fits a model: preprocessing, estimators, resampling, threshold, the model pipeline `train` fits and `tune`
scores, split, metrics, scoring, ONNX export."""
