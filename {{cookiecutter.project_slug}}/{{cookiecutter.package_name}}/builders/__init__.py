"""Join the configuration to an implementation: the data source, model registry, tracker and artifact store."""
