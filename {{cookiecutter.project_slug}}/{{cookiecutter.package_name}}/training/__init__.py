"""What fits a model: preprocessing, estimators, resampling, threshold, the model pipeline, split, metrics, export."""
