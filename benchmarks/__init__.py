"""The template's benchmark suite: `python benchmarks/run.py [--quick]` (see README.md, "Benchmarks")."""
