"""Reports people look at: the data validation page, evaluation plots, model cards and the run summary."""
