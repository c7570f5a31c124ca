"""Finish the generated project: prune unselected options, make the first git commit, create .venv.

Runs from the new project's root with the Python that runs cookiecutter. It never fails the generation because
of the environment: if the install cannot finish (offline, no compiler), the project stays, the half-built
.venv is removed and the command to retry is printed. Valid Python before rendering (answers arrive as JSON).
"""

import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# `tojson` writes every ' as \u0027, so no answer (a description holding ''', say) can end this string early.
ANSWERS = json.loads(r'''{{ cookiecutter | tojson }}''')
PROJECT = Path.cwd()
VENV = PROJECT / ".venv"
TIMEOUT_ENV_VAR = "MLOPS_TEMPLATE_INSTALL_TIMEOUT"
DEFAULT_TIMEOUT_SECONDS = 900
# What `git rev-parse --local-env-vars` lists: variables that tie git to one repository.
GIT_REPOSITORY_VARIABLES = {
    "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_COMMON_DIR", "GIT_CONFIG", "GIT_DIR", "GIT_GRAFT_FILE",
    "GIT_IMPLICIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_NO_REPLACE_OBJECTS", "GIT_OBJECT_DIRECTORY", "GIT_PREFIX",
    "GIT_REPLACE_REF_BASE", "GIT_SHALLOW_FILE", "GIT_WORK_TREE",
}

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
        "{package}/cloud_storage/factory.py",
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
    ("experiment_tracking", "mlflow"): [
        "{package}/tracking/mlflow_tracker.py",
        "{package}/tracking/pyfunc_model.py",
        "tests/test_tracking/test_mlflow_tracker.py",
    ],
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


def git_env():
    """The caller's environment without the variables that point git at another repository.

    When cookiecutter runs inside a git hook (pre-commit running the template's tests, say), git has set
    GIT_DIR or GIT_INDEX_FILE for the *outer* repository: inherited, they make `git add` write to its index.
    """
    return {key: value for key, value in os.environ.items() if key not in GIT_REPOSITORY_VARIABLES}


def init_git():
    """A repository with one commit of the generated files, made only where no repository exists yet."""
    if shutil.which("git") is None:
        say("git not found: skipping `git init` (run it yourself later)")
        return
    env = git_env()
    inside = subprocess.run(["git", "rev-parse", "--is-inside-work-tree"], capture_output=True, text=True, env=env)
    if inside.returncode == 0:
        say("already inside a git repository: leaving it alone")
        return
    # Blank answers would make git refuse to commit; the commit must not depend on any global git config.
    name = str(ANSWERS.get("author_name", "")).strip() or "mlops-template"
    email = str(ANSWERS.get("author_email", "")).strip() or "mlops-template@localhost"
    settings = ["-c", f"user.name={name}", "-c", f"user.email={email}", "-c", "commit.gpgsign=false"]
    for command in (
        ["git", "init", "--quiet"],
        ["git", "checkout", "--quiet", "-b", "main"],
        ["git", "add", "--all"],
        ["git", *settings, "commit", "--quiet", "--no-verify", "-m", "Initial commit from mlops-template"],
    ):
        result = subprocess.run(command, capture_output=True, text=True, env=env)
        if result.returncode != 0:
            # The repository is ours and has no commit: remove it rather than leave a half-made one.
            shutil.rmtree(PROJECT / ".git", ignore_errors=True)
            say(f"`{shlex.join(command)}` failed, so no git repository was made: {result.stderr.strip()}")
            return
    say("git repository created with a first commit on branch main")


def venv_python():
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def find_uv():
    beside = Path(sys.executable).with_name("uv.exe" if os.name == "nt" else "uv")
    return str(beside) if beside.is_file() else shutil.which("uv")


def has_python(uv, wanted):
    """Whether the asked Python is installed, asked the way the venv will be made.

    `uv python find` without --system reports the interpreter of a .venv in any parent directory, which
    `uv venv` then refuses; a `pythonX.Y` on PATH may be a pyenv shim that only fails when run.
    """
    if uv:
        command = [uv, "python", "find", "--system", wanted]
    else:
        command = [f"python{wanted}", "-c", "import sys; print('%d.%d' % sys.version_info[:2])"]
    try:
        probe = subprocess.run(command, capture_output=True, text=True, env=child_env(), timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0 and (uv is not None or probe.stdout.strip() == wanted)


def install_plan(uv, interpreter):
    """The commands that create .venv with `interpreter` (a version or a path) and install the project."""
    python = str(venv_python().relative_to(PROJECT))
    if uv:
        return [
            [uv, "venv", "--quiet", "--python", interpreter, ".venv"],
            [uv, "pip", "install", "--python", python, "-r", "requirements-dev.txt"],
        ]
    creator = interpreter if "/" in interpreter or os.sep in interpreter else f"python{interpreter}"
    return [
        [creator, "-m", "venv", ".venv"],
        [python, "-m", "pip", "install", "--progress-bar", "off", "-r", "requirements-dev.txt"],
    ]


def choose_interpreter(uv):
    """The asked python_version if installed, else the running Python when it is new enough, else None.

    The project says `requires-python = ">=X.Y"`, so an older fallback would only fail later, in the resolver.
    """
    wanted = str(ANSWERS["python_version"])
    if has_python(uv, wanted):
        return wanted
    running = "{}.{}".format(*sys.version_info[:2])
    if sys.version_info[:2] >= tuple(int(part) for part in wanted.split(".")):
        say(f"warning: Python {wanted} is not installed; using Python {running} ({sys.executable}) instead")
        return sys.executable
    say(f"Python {wanted} is not installed and this Python is {running}, older than the project allows:")
    say(f"no .venv made. Install Python {wanted} (e.g. `uv python install {wanted}`) and retry.")
    return None


def install_timeout():
    """Seconds allowed for the whole install; a bad value must not cost the user the generated project."""
    raw = os.environ.get(TIMEOUT_ENV_VAR, "")
    try:
        return float(raw) if raw else float(DEFAULT_TIMEOUT_SECONDS)
    except ValueError:
        say(f"warning: {TIMEOUT_ENV_VAR}={raw!r} is not a number of seconds; using {DEFAULT_TIMEOUT_SECONDS}")
        return float(DEFAULT_TIMEOUT_SECONDS)


def shown(command, uv):
    """A command as the user would type it from the project directory."""
    return shlex.join(Path(part).name if part == uv else str(part) for part in command)


def child_env():
    """The caller's environment, minus its virtualenv, and without interpreter downloads by uv."""
    env = {key: value for key, value in os.environ.items() if key != "VIRTUAL_ENV"}
    env["UV_PYTHON_DOWNLOADS"] = "never"
    return env


def create_venv():
    """Create .venv and install the project; returns the command to finish by hand, or None when done."""
    if VENV.exists():
        say(".venv already exists: leaving it alone")
        return None
    uv = find_uv()
    interpreter = choose_interpreter(uv)
    commands = install_plan(uv, interpreter or str(ANSWERS["python_version"]))
    retry = " && ".join(shown(command, uv) for command in commands)
    if interpreter is None:
        say(f"to retry once it is installed: cd {PROJECT.name} && {retry}")
        return retry
    timeout = install_timeout()
    deadline = time.monotonic() + timeout
    say(f"creating .venv and installing the project with {'uv' if uv else 'pip'} (up to {timeout:g}s)...")
    started = time.monotonic()
    try:
        for command in commands:
            say("running: " + shown(command, uv))
            step = time.monotonic()
            subprocess.run(command, check=True, env=child_env(), timeout=max(deadline - time.monotonic(), 1))
            say(f"  ... done in {time.monotonic() - step:.0f}s")
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as error:
        shutil.rmtree(VENV, ignore_errors=True)
        if isinstance(error, subprocess.CalledProcessError):
            reason = f"`{shown(error.cmd, uv)}` exited with {error.returncode}"
        elif isinstance(error, subprocess.TimeoutExpired):
            reason = f"it took longer than {timeout:g}s (set {TIMEOUT_ENV_VAR} to allow more)"
        else:
            reason = str(error)
        say(f"the install did not finish: {reason}; the project is kept, without .venv.")
        say(f"to retry: cd {PROJECT.name} && {retry}")
        return retry
    say(f"installed in {time.monotonic() - started:.0f}s")
    return None


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
    retry = create_venv() if is_yes(ANSWERS["create_venv"]) else None
    say("done. Next steps:")
    print(f"    cd {PROJECT.name}")
    if not venv_python().exists():
        print(f"    {retry or 'python3 -m venv .venv && .venv/bin/python -m pip install -r requirements-dev.txt'}")
    print(f"    .venv/bin/python -m {ANSWERS['package_name']} train")
    print("    .venv/bin/python -m pytest")
    return 0


if __name__ == "__main__":
    sys.exit(main())
