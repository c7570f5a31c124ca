"""Loading config/*.yaml and environment variables, and turning them into component config entities."""

from .settings import (
    Settings,
    find_project_root,
    load_settings,
)

__all__ = ["Settings", "find_project_root", "load_settings"]
