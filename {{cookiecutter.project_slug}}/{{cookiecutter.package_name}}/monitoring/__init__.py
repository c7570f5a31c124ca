"""Drift (one verdict for validation and `monitor`), the server's sampled feature log, and the `monitor` command."""
