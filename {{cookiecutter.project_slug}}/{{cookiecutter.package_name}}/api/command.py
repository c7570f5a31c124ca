"""The `serve` command: `python -m <package> serve [--host H] [--port P] [--workers N]`.

Imported by the command line whatever the command, so the server's libraries are imported only when it runs.
"""

from __future__ import annotations

import argparse

from ..builders.model_registry import build_model_registry
from ..configuration import Settings
from ..configuration.project_config import required
from ..constants import PACKAGE_NAME
from ..utils.arguments import Parser, bounded_int


def _workers(text: str) -> int:
    return bounded_int(text, 1, 64)


def _port(text: str) -> int:
    return bounded_int(text, 1, 65535)


def add_serve_command(commands: argparse._SubParsersAction[Parser]) -> None:
    """Register `serve` on the command line's subparsers."""
    serve = commands.add_parser("serve", help="serve the production model over HTTP (see README.md)")
    serve.add_argument("--host", help="address to listen on (default: serving.host in config.yaml)")
    serve.add_argument("--port", type=_port, help="port to listen on, 1-65535 (default: serving.port in config.yaml)")
    serve.add_argument(
        "--workers",
        type=_workers,
        help="server processes, 1-64 (default: serving.workers in config.yaml); each loads its own model",
    )
    serve.set_defaults(handler=serve_command)


def serve_command(settings: Settings, arguments: argparse.Namespace) -> int:
    import uvicorn

    from .app import create_app

    options = required(settings.config.serving, "serving")
    host, port = arguments.host or options.host, arguments.port or options.port
    workers = arguments.workers or options.workers
    # What every worker reads first, read once here: an unreadable CURRENT or a version that is not there is one
    # line from this process, not a traceback from each worker.
    build_model_registry(settings).current()
    # uvicorn picks uvloop and httptools (installed with the project) over asyncio and h11 when they import.
    if workers == 1:
        uvicorn.run(create_app(settings), host=host, port=port, log_config=None, access_log=options.access_log)
    else:  # each worker process builds its own app (and loads its own model) from the project's settings
        uvicorn.run(
            f"{PACKAGE_NAME}.api.app:create_app_from_project",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_config=None,
            access_log=options.access_log,
        )
    return 0
