"""Entry point for `python -m <package>`: the command line of cli.py."""

from .cli import main

raise SystemExit(main())
