"""Training and prediction pipelines: the one place that knows the order of the steps and what each is given."""
