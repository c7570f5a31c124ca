"""Load config/*.yaml and the environment into validated settings (the sections components read are entities)."""

from .settings import (
    Settings,
    find_project_root,
    load_settings,
)

__all__ = ["Settings", "find_project_root", "load_settings"]
