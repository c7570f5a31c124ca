"""Finish the generated project: prune unselected options, make the first git commit, create .venv.

Runs from the new project's root with the Python that runs cookiecutter. It never fails the generation because
of the environment: if the install cannot finish (offline, no compiler), the project stays, the half-built
.venv is removed and the command to retry is printed. Valid Python before rendering (answers arrive as JSON).
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ANSWERS = json.loads(r'''{{ cookiecutter | jsonify }}''')
PROJECT = Path.cwd()
VENV = PROJECT / ".venv"
TIMEOUT_ENV_VAR = "MLOPS_TEMPLATE_INSTALL_TIMEOUT"
DEFAULT_TIMEOUT_SECONDS = 900

# Files that belong to one value of an option, removed when another value is chosen: (option, value) -> paths.
# "{package}" stands for the package directory. Shared files render their differences with Jinja instead.
FILES_OF_OPTION = {
    ("data_source", "csv"): [
        "{package}/data_access/csv_source.py",
        "tests/test_data/test_csv_source.py",
    ],
    ("data_source", "mongodb"): [
        "{package}/data_access/mongodb_source.py",
        "tests/test_data/test_mongodb_source.py",
    ],
    ("data_source", "sql"): [
        "{package}/data_access/sql_source.py",
        "tests/test_data/test_sql_source.py",
    ],
    ("artifact_storage", "s3"): [
        "{package}/cloud_storage/s3_storage.py",
        "tests/test_models/test_s3_storage.py",
    ],
    ("serving", "fastapi"): [
        "{package}/api",
        "tests/test_api",
        "scripts/load_test.py",
        "docker/Dockerfile.serve",
        "k8s/deployment-serve.yaml",
        "k8s/service.yaml",
    ],
    ("artifact_storage", "local"): ["k8s/pvc-models.yaml"],
    ("include_docker", "True"): ["docker", "k8s", ".dockerignore", ".github/workflows/cd.yml"],
    ("ci_provider", "github"): [".github"],
}
# Files needed by several values but not by all: kept when any listed value is chosen.
FILES_OF_ANY = {
    ("data_source", ("mongodb", "sql")): ["scripts/load_data.py"],
}


def say(message):
    print(f"[mlops-template] {message}", flush=True)


def is_yes(value):
    return str(value).strip().lower() in {"true", "yes", "y", "1", "on"}


def prune():
    unwanted = [paths for (option, value), paths in FILES_OF_OPTION.items() if str(ANSWERS.get(option)) != value]
    unwanted += [paths for (option, values), paths in FILES_OF_ANY.items() if str(ANSWERS.get(option)) not in values]
    for relative in (path for paths in unwanted for path in paths):
        target = PROJECT / relative.format(package=ANSWERS["package_name"])
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()


def init_git():
    if shutil.which("git") is None:
        say("git not found: skipping `git init` (run it yourself later)")
        return
    inside = subprocess.run(["git", "rev-parse", "--is-inside-work-tree"], capture_output=True, text=True)
    if inside.returncode == 0:
        say("already inside a git repository: leaving it alone")
        return
    identity = ["-c", f"user.name={ANSWERS['author_name']}", "-c", f"user.email={ANSWERS['author_email']}"]
    for command in (
        ["git", "init", "--quiet"],
        ["git", "checkout", "--quiet", "-b", "main"],
        ["git", "add", "--all"],
        ["git", *identity, "commit", "--quiet", "--no-verify", "-m", "Initial commit from mlops-template"],
    ):
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            say(f"`{' '.join(command)}` failed, git left as it is: {result.stderr.strip()}")
            return
    say("git repository created with a first commit on branch main")


def venv_python():
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def find_uv():
    beside = Path(sys.executable).with_name("uv.exe" if os.name == "nt" else "uv")
    return str(beside) if beside.is_file() else shutil.which("uv")


def install_plan(uv):
    """The commands that create .venv and install the project, and the same as text to retry by hand."""
    wanted = ANSWERS["python_version"]
    python = str(venv_python().relative_to(PROJECT))
    if uv:
        interpreter = wanted
        probe = subprocess.run([uv, "python", "find", wanted], capture_output=True, text=True, env=child_env())
        if probe.returncode != 0:
            say(f"warning: Python {wanted} is not installed; using {sys.executable} instead")
            interpreter = sys.executable
        return [
            [uv, "venv", "--quiet", "--python", interpreter, ".venv"],
            [uv, "pip", "install", "--python", python, "-r", "requirements-dev.txt"],
        ]
    interpreter = shutil.which(f"python{wanted}")
    if interpreter is None:
        say(f"warning: python{wanted} is not on PATH; using {sys.executable} instead")
        interpreter = sys.executable
    return [
        [interpreter, "-m", "venv", ".venv"],
        [python, "-m", "pip", "install", "--progress-bar", "off", "-r", "requirements-dev.txt"],
    ]


def child_env():
    """The caller's environment, minus its virtualenv, and without interpreter downloads by uv."""
    env = {key: value for key, value in os.environ.items() if key != "VIRTUAL_ENV"}
    env["UV_PYTHON_DOWNLOADS"] = "never"
    return env


def create_venv():
    if VENV.exists():
        say(".venv already exists: leaving it alone")
        return
    uv = find_uv()
    commands = install_plan(uv)
    retry = " && ".join(" ".join(Path(part).name if part == uv else part for part in command) for command in commands)
    timeout = float(os.environ.get(TIMEOUT_ENV_VAR, DEFAULT_TIMEOUT_SECONDS))
    deadline = time.monotonic() + timeout
    say(f"creating .venv and installing the project with {'uv' if uv else 'pip'} (up to {timeout:.0f}s)...")
    started = time.monotonic()
    try:
        for command in commands:
            say("running: " + " ".join(Path(part).name if part == uv else part for part in command))
            subprocess.run(command, check=True, env=child_env(), timeout=max(deadline - time.monotonic(), 1))
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as error:
        shutil.rmtree(VENV, ignore_errors=True)
        say(f"the install did not finish ({error}); the project is kept, without .venv.")
        say(f"to retry: cd {PROJECT.name} && {retry}")
        return
    say(f"installed in {time.monotonic() - started:.0f}s")


def is_scratch_render():
    """True when cruft renders the template into a fresh temporary directory to compute an update or a diff.

    cookiecutter itself always puts `_output_dir` in the context; cruft does not, and for `update` and `diff` it
    renders into `<tempdir>/tmpXXXXXXXX/<project>`. A .venv or a git repository made there would be slow at
    best and part of the diff at worst, so such renders are only pruned.
    """
    if "_output_dir" in ANSWERS:
        return False
    scratch = PROJECT.parent
    return scratch.name.startswith("tmp") and scratch.parent.resolve() == Path(tempfile.gettempdir()).resolve()


def main():
    prune()
    if is_scratch_render():
        return 0
    if is_yes(ANSWERS["init_git"]):
        init_git()
    if is_yes(ANSWERS["create_venv"]):
        create_venv()
    say("done. Next steps:")
    print(f"    cd {PROJECT.name}")
    if not venv_python().exists():
        print("    python3 -m venv .venv && .venv/bin/python -m pip install -r requirements-dev.txt")
    print(f"    .venv/bin/python -m {ANSWERS['package_name']} train")
    print("    .venv/bin/python -m pytest")
    return 0


if __name__ == "__main__":
    sys.exit(main())
