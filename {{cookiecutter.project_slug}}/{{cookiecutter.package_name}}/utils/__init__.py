"""Helpers shared by more than one module; each lives here once."""
