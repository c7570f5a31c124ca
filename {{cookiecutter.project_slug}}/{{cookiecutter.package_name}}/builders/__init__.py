"""Builders join the configuration to an implementation: the data source, the model registry, the tracker."""
