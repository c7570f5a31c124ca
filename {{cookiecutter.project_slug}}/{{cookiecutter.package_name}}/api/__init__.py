"""The HTTP API: predictions from the production model, and training on demand when a token allows it."""
