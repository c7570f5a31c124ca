"""Model code: the saved model wrapper, metrics, estimators (including a custom one), drift and resampling."""
