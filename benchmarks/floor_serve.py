"""Start the serving floor with the project's own uvicorn settings: `python floor_serve.py --host H --port P`.

Runs inside the generated project's .venv. It runs the project's `serve` command unchanged, but every uvicorn
Config it makes gets the floor app instead of the project's (uvicorn.run builds one too), so loop, parser,
workers, logging and whatever else `serve` chooses are the same for the floor and the project.
"""

from __future__ import annotations

import importlib
import os
import sys

import uvicorn

_original_init = uvicorn.Config.__init__


def _floor_config(self, app, *args, **kwargs):
    kwargs["factory"] = False
    _original_init(self, "floor_app:app", *args, **kwargs)


if __name__ == "__main__":
    uvicorn.Config.__init__ = _floor_config
    cli = importlib.import_module(f"{os.environ['BENCHMARK_PACKAGE']}.cli")
    sys.exit(cli.main(["serve", *sys.argv[1:]]))
