"""The `schema` command: infer config/schema.yaml from a data file and point training at it."""
