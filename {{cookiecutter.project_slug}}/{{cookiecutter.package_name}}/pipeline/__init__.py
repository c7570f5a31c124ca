"""The training pipeline (the only place that knows the order of the steps) and the prediction pipeline."""
