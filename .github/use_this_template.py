"""Turn a repository created with GitHub's "Use this template" into the generated project, in one commit.

Run by .github/workflows/setup.yml: on the new repository's first push with the default answers, from its form
with the answers given there (`--answers`, a JSON object); the template's tests run it against a local git
repository. It renders the template in the checkout with those answers and the repository's name and description,
replaces the checkout's files with the generated project, and commits. The form also works after the first push
set the project up with the default answers, as long as that set-up commit is still the last one: the template is
taken back from the commit before it and rendered again.

GitHub's workflow token may not create, change or delete files under .github/workflows/, so that folder is left
as it is: the template keeps there copies of the generated ci.yml and cd.yml (one file for every answer: they read
what the project uses when they run; the template's tests check every bake against them) next to its own setup.yml
and test.yml, which do nothing outside a template. The rest of the generated .github/ (dependabot.yml) replaces
the template's. With ci_provider=none or include_docker=false the kept copies stay until someone deletes them.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from cookiecutter.main import cookiecutter

KEPT = {".git", ".github/workflows"}
FREE_TEXT = {"project_name", "description", "author_name"}  # the form's other answers are choices of the template
SET_UP = "Set up {} from mlops-template"
IDENTITY = ["-c", "user.name=mlops-template", "-c", "user.email=mlops-template@users.noreply.github.com"]


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


def form_answers(checkout: Path, given: dict[str, object]) -> dict[str, object]:
    """The form's answers checked against cookiecutter.json: free text as data (see `as_data`), choices as given.

    An empty text is left out (the repository's name, description or owner is used instead); a choice must be one
    of the template's values, so it can be passed as it is.
    """
    choices = json.loads((checkout / "cookiecutter.json").read_text(encoding="utf-8"))
    answers: dict[str, object] = {}
    for key, value in given.items():
        if key in FREE_TEXT:
            if str(value).strip():
                answers[key] = as_data(str(value))
        elif isinstance(choices.get(key), bool) and str(value).lower() in {"true", "false"}:
            answers[key] = str(value).lower() == "true"  # a boolean of the form, or its text from the API
        elif isinstance(choices.get(key), list) and str(value) in choices[key] and not key.startswith("_"):
            answers[key] = str(value)
        else:
            raise ValueError(f"{key}={value!r} is not an answer of this template")
    return answers


def set_up(
    checkout: Path, repository_name: str, description: str, author: str, email: str, given: dict[str, object]
) -> Path:
    if not (checkout / "cookiecutter.json").is_file():
        take_back_the_template(checkout)
    answers = {"project_name": as_data(project_name(repository_name)), "create_venv": False, "init_git": False}
    defaults = {"description": description, "author_name": author, "author_email": email}
    answers |= {key: as_data(value) for key, value in defaults.items() if value}
    answers |= form_answers(checkout, given)
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


def take_back_the_template(checkout: Path) -> None:
    """Put the template's files back from the commit before the last one, if the last one is our set-up."""
    last = git(checkout, "log", "-1", "--format=%an%n%s").splitlines()
    before = git(checkout, "ls-tree", "--name-only", "HEAD~1", "--", "cookiecutter.json", check=False)
    if last[:1] != ["mlops-template"] or not re.fullmatch(SET_UP.format(".+"), last[1]) or not before.strip():
        raise FileNotFoundError(
            f"{checkout} holds no cookiecutter.json, and its last commit is not the set-up of a template: it is "
            "already a project of its own (generate another one with cookiecutter or cruft)"
        )
    git(checkout, "checkout", "HEAD~1", "--", ".")


def git(checkout: Path, *arguments: str, check: bool = True) -> str:
    result = subprocess.run(["git", *IDENTITY, *arguments], cwd=checkout, capture_output=True, text=True)
    if check and result.returncode:
        raise RuntimeError(f"git {' '.join(arguments)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()


def commit(checkout: Path, repository_name: str) -> None:
    git(checkout, "add", "--all")
    git(checkout, "commit", "--quiet", "-m", SET_UP.format(repository_name))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--name", required=True, help="the new repository's name")
    parser.add_argument("--description", default="", help="the new repository's description")
    parser.add_argument("--author", default="", help="author name for the generated files")
    parser.add_argument("--email", default="", help="author e-mail for the generated files")
    parser.add_argument("--answers", default="{}", help="the form's answers, a JSON object (empty: the defaults)")
    parser.add_argument("--checkout", type=Path, default=Path.cwd(), help="the repository's working tree")
    arguments = parser.parse_args(argv)
    given = json.loads(arguments.answers or "{}") or {}  # a push has no form: `inputs` may be null
    if not isinstance(given, dict):
        parser.error("--answers must be a JSON object")
    set_up(arguments.checkout, arguments.name, arguments.description, arguments.author, arguments.email, given)
    commit(arguments.checkout, arguments.name)
    print(f"set up {arguments.name}: commit it with `git push`")
    return 0


if __name__ == "__main__":
    sys.exit(main())
