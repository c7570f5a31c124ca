"""Prune unselected options, create .venv with the project's scripts/setup_venv.py, make the first git commit (with
uv.lock); a failed install keeps the project and says how to retry. Valid Python unrendered: only `main()` reads the
answers, so tests import this module."""

import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, cast

TIMEOUT_ENV_VAR, DEFAULT_TIMEOUT_SECONDS = "MLOPS_TEMPLATE_INSTALL_TIMEOUT", 900.0
# By `os.name == "nt"`, as typed in the platform's shell: the project's Python; its installer (which picks that one).
VENV_PYTHON = {False: ".venv/bin/python", True: ".venv\\Scripts\\python"}
SETUP_COMMAND = {False: ["python3", "scripts/setup_venv.py"], True: ["py", "scripts\\setup_venv.py"]}
TEMPLATE_FOLDER, PACKAGE_FOLDER = "{" * 2 + "cookiecutter.project_slug}}", "{" * 2 + "cookiecutter.package_name}}"
Answers = dict[str, Any]  # as cookiecutter renders them into this file: JSON values by name

# Files that belong to one value of an option, removed when another value is chosen: (option, value) -> paths.
# "{package}" stands for the package directory; a folder, for the template's files in it. Shared files differ by
# Jinja (outside the package) or by `if FLAG:` branches on constants/answers.py (inside it, plain Python). The
# template's tests read this table for the files each answer brings.
# fmt: off
FILES_OF_OPTION: dict[tuple[str, str | tuple[str, ...]], list[str]] = {
    ("data_source", "csv"): ["{package}/data_access/csv_source.py", "{package}/builders/csv_source.py",
                             "tests/test_data/test_csv_source.py"],
    ("data_source", "mongodb"): ["{package}/data_access/mongodb_source.py", "{package}/builders/mongodb_source.py",
                                 "tests/test_data/test_mongodb_source.py"],
    ("data_source", "sql"): ["{package}/data_access/sql_source.py", "{package}/builders/sql_source.py",
                             "tests/test_data/test_sql_source.py"],
    ("data_source", ("mongodb", "sql")): ["scripts/load_data.py"],  # a tuple: kept when any of its values is chosen
    ("artifact_storage", "s3"): ["{package}/cloud_storage/s3_storage.py", "{package}/cloud_storage/s3_lock.py",
                                 "{package}/builders/s3_storage.py", "tests/test_models/test_s3_storage.py"],
    ("artifact_storage", "local"): ["k8s/pvc-models.yaml"],
    ("serving", "fastapi"): ["{package}/api", "{package}/inference/fast_predictor.py",
                             "{package}/inference/onnx_inputs.py", "{package}/inference/date_inputs.py",
                             "{package}/training/onnx_export.py",
                             "{package}/training/onnx_converters.py", "{package}/training/date_converter.py",
                             "{package}/training/tree_converter.py", "{package}/training/lightgbm_converter.py",
                             "{package}/training/xgboost_converter.py", "{package}/training/category_converter.py",
                             "{package}/training/onnx_text.py",
                             "tests/test_api/test_onnx_boosters.py",
                             "tests/test_api", "scripts/load_test.py",
                             "docker/Dockerfile.serve", "docker/Dockerfile.spark", "k8s/deployment-serve.yaml",
                             "k8s/service.yaml", "k8s/spark"],
    ("include_docker", "True"): ["docker", "k8s", ".dockerignore", ".github/workflows/cd.yml"],
    ("ci_provider", "github"): [".github"],
    ("model_library", ("lightgbm", "xgboost")): ["tests/test_models/test_native_categoricals.py",
                                                 "{package}/training/category_converter.py",
                                                 "tests/test_api/test_onnx_boosters.py"],
    ("model_library", "lightgbm"): ["{package}/training/lightgbm_converter.py"],
    ("model_library", "xgboost"): ["{package}/training/xgboost_converter.py"],
    ("experiment_tracking", "mlflow"): ["{package}/tracking/mlflow_tracker.py", "{package}/tracking/pyfunc_model.py",
                                        "tests/test_tracking/test_mlflow_tracker.py", "MLproject", "python_env.yaml"],
}
# fmt: on

# constants/answers.py: each name and the answer it holds; a flag is (option, value), true when that value was chosen.
# pyproject.toml's mypy `always_true`/`always_false` get the flags too, so mypy skips the code of unchosen options.
TEXT_ANSWERS = {"PROJECT_NAME": "project_name", "DESCRIPTION": "description", "VERSION": "version",
                "PACKAGE_NAME": "package_name", "DISTRIBUTION_NAME": "project_slug",
                "TEMPLATE_VERSION": "_template_version"}  # fmt: skip
FLAGS = {"CSV_SOURCE": ("data_source", "csv"), "MONGODB_SOURCE": ("data_source", "mongodb"),
         "SQL_SOURCE": ("data_source", "sql"), "S3_STORAGE": ("artifact_storage", "s3"),
         "LIGHTGBM_LIBRARY": ("model_library", "lightgbm"), "XGBOOST_LIBRARY": ("model_library", "xgboost"),
         "MLFLOW_TRACKING": ("experiment_tracking", "mlflow"), "FASTAPI_SERVING": ("serving", "fastapi")}  # fmt: skip


def read_answers() -> Answers:
    """The answers as cookiecutter renders them here; `tojson` writes ' as \\u0027, so none can end the string."""
    return cast(Answers, json.loads(r'''{{ cookiecutter | tojson }}'''))  # fmt: skip


def say(message: str) -> None:
    print(f"[mlops-template] {message}", flush=True)


def unchosen(answers: Answers) -> list[str]:
    """The entries of FILES_OF_OPTION for the values not chosen, in table order, "{package}" not filled in."""
    return [
        entry
        for (option, values), entries in FILES_OF_OPTION.items()
        if str(answers.get(option)) not in (values if isinstance(values, tuple) else (values,))
        for entry in entries
    ]


def prune(project: Path, answers: Answers, template: Path | None) -> None:
    """Remove the files of unchosen values; of folders only the template's files, so `cookiecutter -f` keeps yours
    (unless the template is unknown: cruft sets no `_repo_dir`, but renders into new folders)."""
    package = answers["package_name"]
    for entry in unchosen(answers):
        target = project / entry.format(package=package)
        if not target.is_dir():
            target.unlink(missing_ok=True)
        elif template is None:
            shutil.rmtree(target)
        else:
            for made in (template / entry.format(package=PACKAGE_FOLDER)).rglob("*"):
                if made.is_file():
                    (project / made.relative_to(template).as_posix().replace(PACKAGE_FOLDER, package)).unlink(True)
            for folder, _, _ in os.walk(target, topdown=False):
                if not os.listdir(folder):
                    os.rmdir(folder)


def python_string(text: str) -> str:
    """A string literal as ruff format writes it: double quotes, unless the text has " and no '."""
    literal = json.dumps(text, ensure_ascii=False)
    if '"' in text and "'" not in text:
        literal = "'" + literal[1:-1].replace('\\"', '"') + "'"
    return literal


def write_answers(project: Path, answers: Answers) -> None:
    """Give constants/answers.py (shipped with the default answers) these answers, and mypy the same flags."""
    flags = {name: str(answers.get(option)) == value for name, (option, value) in FLAGS.items()}
    values = {**{name: python_string(str(answers[key])) for name, key in TEXT_ANSWERS.items()}, **flags}
    module = project / answers["package_name"] / "constants" / "answers.py"
    lines = module.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        name = line.split(" = ", 1)[0]
        if name in values:
            lines[number] = f"{name} = {values[name]}"
    module.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="\n")
    pyproject = project / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    for key, state in (("always_true", True), ("always_false", False)):
        chosen = json.dumps(sorted(name for name, on in flags.items() if on is state))
        text = text.replace(f"{key} = []", f"{key} = {chosen}", 1)
    pyproject.write_text(text, encoding="utf-8", newline="\n")


def init_git(answers: Answers) -> None:
    """One commit of the generated files, unless inside a repository already (or without git)."""
    if not shutil.which("git"):
        return say("git not found: skipping `git init` (do it yourself later)")
    # Git lists the variables that tie it to one repository: an outer git hook's must not reach these commands.
    outer = subprocess.run(["git", "rev-parse", "--local-env-vars"], capture_output=True, text=True).stdout.split()
    env = {key: value for key, value in os.environ.items() if key not in outer}
    if subprocess.run(["git", "rev-parse", "--is-inside-work-tree"], capture_output=True, env=env).returncode == 0:
        return say("already inside a git repository: leaving it alone")
    # Blank answers would make git refuse to commit; the commit must not depend on any global git config.
    name = answers["author_name"].strip() or "mlops-template"
    email = answers["author_email"].strip() or "mlops-template@localhost"
    identity = ["-c", f"user.name={name}", "-c", f"user.email={email}", "-c", "commit.gpgsign=false"]
    commit = [*identity, "commit", "--quiet", "--no-verify", "-m", "Initial commit from mlops-template"]
    for command in (["init", "--quiet"], ["checkout", "--quiet", "-b", "main"], ["add", "--all"], commit):
        result = subprocess.run(["git", *command], capture_output=True, text=True, env=env)
        if result.returncode != 0:  # the repository is ours and has no commit: remove it rather than half of one
            shutil.rmtree(".git", ignore_errors=True)
            return say(f"`git {shlex.join(command)}` failed, so no git repository was made: {result.stderr.strip()}")
    say("git repository created with a first commit on branch main")


def shown(command: list[str], windows: bool) -> str:
    """A command as the user types it: quoted for cmd/PowerShell on Windows, for a POSIX shell elsewhere."""
    return subprocess.list2cmdline(command) if windows else shlex.join(command)


def create_venv(folder: str, windows: bool) -> str | None:
    """Run the project's scripts/setup_venv.py; returns the command to finish by hand, or None when done."""
    if Path(".venv").exists():
        say(".venv already exists: leaving it alone")
        return None
    command = [sys.executable, str(Path("scripts", "setup_venv.py"))]
    try:
        command += ["--timeout", str(float(os.environ.get(TIMEOUT_ENV_VAR) or DEFAULT_TIMEOUT_SECONDS))]
    except ValueError:
        say(f"warning: {TIMEOUT_ENV_VAR}={os.environ[TIMEOUT_ENV_VAR]!r} is not a number of seconds; using the default")
    say("creating .venv and installing the project: " + shown(SETUP_COMMAND[windows], windows))
    env = {key: value for key, value in os.environ.items() if key != "VIRTUAL_ENV"}
    if subprocess.run(command, env=env).returncode == 0:
        say("installed")
        return None
    retry = shown(SETUP_COMMAND[windows], windows)
    say(f"the project is kept, without .venv; to retry: cd {folder} && {retry}")
    return retry


def next_steps(answers: Answers, folder: str, windows: bool, retry: str | None) -> list[str]:
    """What to type next, in the platform's shell."""
    python, package = VENV_PYTHON[windows], answers["package_name"]
    setup = retry or shown(SETUP_COMMAND[windows], windows)
    activate = ".venv\\Scripts\\activate" if windows else "source .venv/bin/activate"
    steps = [f"cd {folder}", setup] if retry or not answers["create_venv"] else [f"cd {folder}"]
    return [*steps, f"{python} -m {package} train", f"{python} -m pytest", f"(after `{activate}`, just `python`)"]


def main() -> int:
    answers, project, windows = read_answers(), Path.cwd(), os.name == "nt"
    # The template, to tell its files from the user's: `_repo_dir` is relative to the caller's folder (the shell's PWD).
    repo = Path(os.environ.get("PWD", ""), answers.get("_repo_dir") or "/nowhere")
    prune(project, answers, repo / TEMPLATE_FOLDER if (repo / "cookiecutter.json").is_file() else None)
    write_answers(project, answers)
    # cruft renders updates and diffs into <tempdir>/tmpXXXX/, with no `_output_dir`: no .venv and no git there.
    if "_output_dir" not in answers and project.parent.parent.resolve() == Path(tempfile.gettempdir()).resolve():
        return 0
    folder = shown([str(project)], windows)
    retry = create_venv(folder, windows) if answers["create_venv"] else None  # first: the commit takes uv.lock
    if answers["init_git"]:
        init_git(answers)
    say("done. Next steps:")
    print("\n".join("    " + line for line in next_steps(answers, folder, windows, retry)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
