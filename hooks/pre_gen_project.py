"""Refuse answers that would generate a broken project, with one line that says what to type instead.

This file is rendered by cookiecutter before it runs; it stays valid Python unrendered (the answers arrive as
one JSON string), so it can be linted and tested like any module.
"""

import json
import keyword
import re
import sys

# `tojson` writes every ' as \u0027, so no answer (a description holding ''', say) can end this string early.
ANSWERS = json.loads(r'''{{ cookiecutter | tojson }}''')

SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
PACKAGE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
SHADOWED = set(getattr(sys, "stdlib_module_names", ())) | {"test", "tests", "setup", "site"}
PYTHON_VERSIONS = {"3.10", "3.11", "3.12", "3.13"}
# PEP 440 (the pattern of `packaging.version`, which the hook cannot count on): setuptools refuses anything
# else, and would do so only in the middle of the install, far from the answer that caused it.
VERSION_PATTERN = re.compile(
    r"^v?(\d+!)?\d+(\.\d+)*([-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?\d*)?"
    r"((-\d+)|([-_.]?(post|rev|r)[-_.]?\d*))?([-_.]?dev[-_.]?\d*)?(\+[a-z0-9]+([-_.][a-z0-9]+)*)?$",
    re.IGNORECASE,
)


def _suggestion(name):
    """A valid package name close to `name`, so the refusal can say exactly what to type instead."""
    cleaned = re.sub(r"[^a-z0-9_]+", "_", name.lower()).strip("_") or "project"
    if not cleaned[0].isalpha():
        cleaned = "project_" + cleaned
    return cleaned if cleaned not in SHADOWED and not keyword.iskeyword(cleaned) else cleaned + "_model"


def problems(answers):
    """Every problem with the answers, each a single line."""
    found = []
    slug = str(answers.get("project_slug", ""))
    if not SLUG_PATTERN.match(slug):
        fixed = re.sub(r"[^a-z0-9]+", "-", slug.lower()).strip("-") or "sensor-project"
        found.append(
            f"project_slug {slug!r} must be lower-case letters, digits and dashes, with no path separators "
            f"or '..'; answer e.g. project_slug={fixed}"
        )
    package = str(answers.get("package_name", ""))
    if found and package == slug.replace("-", "_"):
        pass  # derived from the bad slug: the slug's fix fixes it too, and one line is clearer than two
    elif not PACKAGE_PATTERN.match(package) or not package.isidentifier():
        found.append(
            f"package_name {package!r} must start with a letter and hold only lower-case letters, digits and "
            f"underscores; answer e.g. package_name={_suggestion(package)}"
        )
    elif keyword.iskeyword(package):
        found.append(f"package_name {package!r} is a Python keyword; answer e.g. package_name={package}_model")
    elif package in SHADOWED:
        found.append(
            f"package_name {package!r} shadows the standard library module {package}; "
            f"answer e.g. package_name={package}_model"
        )
    version = str(answers.get("version", ""))
    if not VERSION_PATTERN.match(version):
        found.append(f"version {version!r} is not a PEP 440 version; answer e.g. version=0.1.0")
    python_version = str(answers.get("python_version", ""))
    if python_version not in PYTHON_VERSIONS:
        found.append(
            f"python_version {python_version!r} is not supported; answer one of {', '.join(sorted(PYTHON_VERSIONS))}"
        )
    email = str(answers.get("author_email", ""))
    if email and not re.match(r"^[^@\s]+@[^@\s]+$", email):
        found.append(f"author_email {email!r} is not an e-mail address; answer e.g. author_email=you@example.com")
    return found


def main():
    """Print every problem on stderr, one line each; exit 1 so cookiecutter stops and removes what it made."""
    found = problems(ANSWERS)
    for line in found:
        print(f"error: {line}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
