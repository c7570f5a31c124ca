"""Refuse answers that would generate a broken project, with one line that says what to type instead.

cookiecutter renders this file before it runs it. Unrendered it is still a valid module (the answers arrive as
one JSON string, read only by `main()`), so the template's tests import it and call `problems()` directly.
Choice and yes/no answers need no check here: cookiecutter refuses any value that is not offered.
"""

import json
import keyword
import os
import re
import subprocess
import sys
from collections.abc import Mapping
from typing import Any, cast

SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
PACKAGE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
# Kubernetes names and labels hold at most 63 characters; the manifests add suffixes such as `-secrets`.
MAX_NAME_LENGTH = 50
MAX_PROJECT_NAME_LENGTH = 100
# What a package of the project may not be called, and why.
CLASHES = {name: f"shadows the standard library module {name}" for name in getattr(sys, "stdlib_module_names", ())}
CLASHES |= {"test": "shadows the standard library package test", "site": "shadows the standard library module site"}
CLASHES |= {"tests": "clashes with the project's own tests package", "setup": "clashes with the project's setup.py"}
# Free text that ends up on one line of pyproject.toml, LICENSE or a git commit, as written (no escapes but \\ and ").
# (version has a pattern of its own, which refuses them too.)
ONE_LINE_ANSWERS = ("project_name", "description", "author_name", "author_email")
# PEP 440 (the pattern of `packaging.version`, which the hook cannot count on): setuptools refuses anything
# else, and would do so only in the middle of the install, far from the answer that caused it.
VERSION_PATTERN = re.compile(
    r"^v?(\d+!)?\d+(\.\d+)*([-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?\d*)?"
    r"((-\d+)|([-_.]?(post|rev|r)[-_.]?\d*))?([-_.]?dev[-_.]?\d*)?(\+[a-z0-9]+([-_.][a-z0-9]+)*)?$",
    re.IGNORECASE,
)


def read_answers() -> dict[str, Any]:
    """The answers, as cookiecutter renders them into this file (call only from the rendered hook)."""
    # `tojson` writes every ' as \u0027, so no answer (a description holding ''', say) can end this string early.
    return cast(dict[str, Any], json.loads(r"""{{ cookiecutter | tojson }}"""))


def suggestion(name: str) -> str:
    """A valid package name close to `name`, so the refusal can say exactly what to type instead."""
    cleaned = re.sub(r"[^a-z0-9_]+", "_", name.lower()).strip("_")[:MAX_NAME_LENGTH] or "project"
    if not cleaned[0].isalpha():
        cleaned = "project_" + cleaned
    return cleaned + "_model" if cleaned in CLASHES or keyword.iskeyword(cleaned) else cleaned


def name_problems(answers: Mapping[str, object]) -> list[str]:
    """Problems with project_name, project_slug and package_name; a package derived from a bad slug is not
    reported twice, since fixing the slug fixes it."""
    found: list[str] = []
    name, slug, package = (str(answers.get(key, "")) for key in ("project_name", "project_slug", "package_name"))
    fixed_slug = re.sub(r"[^a-z0-9]+", "-", slug.lower())[:MAX_NAME_LENGTH].strip("-")
    if len(name) > MAX_PROJECT_NAME_LENGTH:  # its slug, if derived, is too long as well: one line says both
        found.append(
            f"project_name is {len(name)} characters long; answer one of at most {MAX_PROJECT_NAME_LENGTH}, "
            f"with a project_slug of at most {MAX_NAME_LENGTH} (e.g. project_slug={fixed_slug or 'sensor-project'})"
        )
    elif not SLUG_PATTERN.match(slug):
        found.append(
            f"project_slug {slug!r} must be lower-case letters, digits and dashes, with no path separators "
            f"or '..'; answer e.g. project_slug={fixed_slug or 'sensor-project'}"
        )
    elif len(slug) > MAX_NAME_LENGTH:
        found.append(
            f"project_slug is {len(slug)} characters long (Kubernetes names are built from it); answer one of at "
            f"most {MAX_NAME_LENGTH}, e.g. project_slug={fixed_slug}"
        )
    if found and package == slug.replace("-", "_"):
        return found
    if not PACKAGE_PATTERN.match(package):
        found.append(
            f"package_name {package!r} must start with a letter and hold only lower-case letters, digits and "
            f"underscores; answer e.g. package_name={suggestion(package)}"
        )
    elif len(package) > MAX_NAME_LENGTH:
        found.append(
            f"package_name is {len(package)} characters long; answer one of at most {MAX_NAME_LENGTH}, "
            f"e.g. package_name={suggestion(package)}"
        )
    elif keyword.iskeyword(package):
        found.append(f"package_name {package!r} is a Python keyword; answer e.g. package_name={package}_model")
    elif package in CLASHES:
        found.append(f"package_name {package!r} {CLASHES[package]}; answer e.g. package_name={package}_model")
    return found


def problems(answers: Mapping[str, object]) -> list[str]:
    """Every problem with the answers, each a single line."""
    found = name_problems(answers)
    for key in ONE_LINE_ANSWERS:
        if any(ord(character) < 32 or ord(character) == 127 for character in str(answers.get(key, ""))):
            found.append(f"{key} holds a line break or another control character; answer it on one line")
    version = str(answers.get("version", ""))
    if not VERSION_PATTERN.match(version):
        found.append(f"version {version!r} is not a PEP 440 version; answer e.g. version=0.1.0")
    email = str(answers.get("author_email", ""))
    if email and not re.match(r"^[^@\s]+@[^@\s]+$", email):
        found.append(f"author_email {email!r} is not an e-mail address; answer e.g. author_email=you@example.com")
    return found


# Run after this hook has exited: wait until cookiecutter has removed the project folder, then remove the given
# folders (nearest first) while they are empty.
REMOVE_WHEN_GONE = """
import os, sys, time
deadline = time.monotonic() + 30
while os.path.exists(sys.argv[1]) and time.monotonic() < deadline:
    time.sleep(0.05)
for folder in sys.argv[2:]:
    try:
        os.rmdir(folder)
    except OSError:
        break
"""


def folders_made_for(slug: str, project: str) -> list[str]:
    """The folders above `project` that a slug such as `a/b` made cookiecutter create (`a/`), nearest first: those
    that hold nothing but the way to the project. cookiecutter removes the project folder after a refusal, not them."""
    parts = [part for part in os.path.normpath(slug).split(os.sep) if part not in ("", "..")]
    made, below = [], project
    for _ in parts[:-1]:
        above = os.path.dirname(below)
        if os.listdir(above) != [os.path.basename(below)]:
            break
        made.append(above)
        below = above
    return made


def main() -> int:
    """Print every problem on stderr, one line each; exit 1 so cookiecutter stops and removes what it made (and a
    process outliving the hook removes the empty folders above the project that cookiecutter leaves)."""
    answers = read_answers()
    found = problems(answers)
    for line in found:
        print(f"error: {line}", file=sys.stderr)
    made = folders_made_for(str(answers.get("project_slug", "")), os.getcwd()) if found else []
    if made:
        subprocess.Popen(
            [sys.executable, "-c", REMOVE_WHEN_GONE, os.getcwd(), *made],
            cwd=os.path.dirname(made[-1]),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
