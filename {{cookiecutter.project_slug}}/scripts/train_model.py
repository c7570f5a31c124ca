"""Train, evaluate, gate and push a model: the same as `python -m {{ cookiecutter.package_name }} train`."""

from {{ cookiecutter.package_name }}.cli import main

if __name__ == "__main__":
    raise SystemExit(main(["train"]))
