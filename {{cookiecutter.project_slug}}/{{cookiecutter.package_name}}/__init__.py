"""The project's package; PROJECT_NAME and DESCRIPTION say what it is (they come from the template's answers)."""

from .constants.answers import DESCRIPTION, PROJECT_NAME, VERSION

__version__ = VERSION
__all__ = ["DESCRIPTION", "PROJECT_NAME", "__version__"]
