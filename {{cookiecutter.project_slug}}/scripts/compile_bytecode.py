"""Compile, on every core, the libraries `train` and `serve` import, so that their first run does not.

Usage: `.venv/bin/python scripts/compile_bytecode.py` (setup_venv.py runs it after the install).
A new .venv holds no bytecode: the first `train` would compile some 1,700 modules one after the other (about
5 s of CPU) and the first `serve` a few hundred more. Compiling all of site-packages (`uv sync
--compile-bytecode`) takes 18-20 s, mostly for the dev tools and for code no command imports; the packages below
are those most of whose modules `train` and `serve` import. Whatever they import besides is compiled when first
imported, as before. Standard library only; a file that does not compile is left to Python to report on import.
"""

from __future__ import annotations

import compileall
import importlib.util
import os
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

# Import names, each compiled whole except the parts SKIPPED matches.
PACKAGES = (
    "dateutil",
    "fastapi",
    "joblib",
    "matplotlib",
    "narwhals",
    "numpy",
    "pandas",
    "prometheus_client",
    "pydantic",
    "pydantic_settings",
    "scipy",
    "skl2onnx",
    "sklearn",
    "uvicorn",
    "yaml",
)
# Tests, and the sub-packages of those libraries that neither command imports.
SKIPPED = re.compile(
    r"[/\\](tests?|testing|array_api_compat[/\\](torch|cupy|dask)|deprecated|sphinxext|_precompute|pyprima)[/\\]"
    r"|[/\\]scipy[/\\](io|signal|fftpack|odr|datasets)[/\\]"
    r"|[/\\]numpy[/\\](distutils|f2py|core)[/\\]"
    r"|[/\\]narwhals[/\\]_(dask|spark_like|ibis|duckdb|arrow|sql|polars)[/\\]"
    r"|[/\\]sklearn[/\\]datasets[/\\]"
    r"|[/\\]pandas[/\\]plotting[/\\]"
    r"|[/\\]matplotlib[/\\]backends[/\\]"
)


def sources(packages: tuple[str, ...]) -> list[Path]:
    """The .py files of the installed `packages` (those not installed are skipped), minus what SKIPPED matches."""
    found = []
    for name in packages:
        spec = importlib.util.find_spec(name)  # a top-level name: found without importing it
        for folder in (spec.submodule_search_locations or []) if spec else []:
            found += [path for path in Path(folder).rglob("*.py") if not SKIPPED.search(str(path))]
    return sorted(found)


def _compile(path: Path) -> bool:
    return bool(compileall.compile_file(path, quiet=2))


def main() -> int:
    started = time.perf_counter()
    files = sources(PACKAGES)
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        compiled = sum(pool.map(_compile, files, chunksize=64))
    print(f"compiled {compiled} of {len(files)} library modules in {time.perf_counter() - started:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
