"""Hyperparameter search: `tune` runs an Optuna study over the search space of config/model_config.yaml."""
