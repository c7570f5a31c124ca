"""Entry point for `python -m {{ cookiecutter.package_name }}`."""

from .cli import main

raise SystemExit(main())
