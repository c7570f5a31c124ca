"""Turn a repository created with GitHub's "Use this template" into the generated project, in one commit.

Run by .github/workflows/setup.yml on the new repository's first push; the template's tests run it against a
local git repository. It renders the template in the checkout with the default answers and the repository's
name and description, replaces the checkout's files with the generated project, and commits.

GitHub's workflow token may not create, change or delete files under .github/workflows/, so that folder is left
as it is: the template keeps there copies of the generated ci.yml and cd.yml (identical to a default bake, which
the template's tests check) next to its own setup.yml and test.yml, which do nothing outside a template. The rest
of the generated .github/ (dependabot.yml) replaces the template's.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from cookiecutter.main import cookiecutter

KEPT = {".git", ".github/workflows"}


def project_name(repository_name: str) -> str:
    """`pump-monitor` becomes `Pump Monitor` (the slug derived from it is `pump-monitor` again)."""
    return " ".join(word[:1].upper() + word[1:] for word in re.split(r"[-_.\s]+", repository_name) if word)


def as_data(text: str) -> str:
    """A Jinja expression that renders to exactly `text`.

    cookiecutter renders every answer it is given as a template, so a description holding `{{ 7*7 }}` would
    become `49`, and one holding `{% raw %}` would stop the generation. Each character that is not a letter or a
    digit is written as a `\\U` escape inside a Jinja string, which Jinja decodes back to the character itself.
    """
    escaped = "".join(char if char.isascii() and char.isalnum() else f"\\U{ord(char):08x}" for char in text)
    return "{{ '" + escaped + "' }}" if text else text


def set_up(checkout: Path, repository_name: str, description: str, author: str, email: str) -> Path:
    if not (checkout / "cookiecutter.json").is_file():
        raise FileNotFoundError(f"{checkout} holds no cookiecutter.json: is it already set up?")
    answers = {"project_name": as_data(project_name(repository_name)), "create_venv": False, "init_git": False}
    given = {"description": description, "author_name": author, "author_email": email}
    answers |= {key: as_data(value) for key, value in given.items() if value}
    with tempfile.TemporaryDirectory() as scratch:
        generated = Path(cookiecutter(str(checkout), no_input=True, output_dir=scratch, extra_context=answers))
        for entry in checkout.iterdir():
            if entry.name == ".github":
                for child in entry.iterdir():
                    if f".github/{child.name}" not in KEPT:
                        _remove(child)
            elif entry.name not in KEPT:
                _remove(entry)
        for entry in generated.iterdir():
            if entry.name != ".github":
                shutil.move(str(entry), checkout / entry.name)
        for entry in (generated / ".github").glob("*"):
            if entry.name != "workflows":  # identical copies are already there (see the module docstring)
                shutil.move(str(entry), checkout / ".github" / entry.name)
    return checkout


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()


def commit(checkout: Path, repository_name: str) -> None:
    identity = ["-c", "user.name=mlops-template", "-c", "user.email=mlops-template@users.noreply.github.com"]
    subprocess.run(["git", "add", "--all"], cwd=checkout, check=True)
    message = f"Set up {repository_name} from mlops-template"
    subprocess.run(["git", *identity, "commit", "--quiet", "-m", message], cwd=checkout, check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--name", required=True, help="the new repository's name")
    parser.add_argument("--description", default="", help="the new repository's description")
    parser.add_argument("--author", default="", help="author name for the generated files")
    parser.add_argument("--email", default="", help="author e-mail for the generated files")
    parser.add_argument("--checkout", type=Path, default=Path.cwd(), help="the repository's working tree")
    arguments = parser.parse_args(argv)
    set_up(arguments.checkout, arguments.name, arguments.description, arguments.author, arguments.email)
    commit(arguments.checkout, arguments.name)
    print(f"set up {arguments.name}: commit it with `git push`")
    return 0


if __name__ == "__main__":
    sys.exit(main())
