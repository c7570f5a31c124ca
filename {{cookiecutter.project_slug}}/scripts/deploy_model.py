"""List the production versions, or make one of them current (deploy or roll back).

Usage: `python scripts/deploy_model.py` lists; `python scripts/deploy_model.py v0001` switches to v0001.
Same as `python -m {{ cookiecutter.package_name }} models` and `... promote VERSION`.
"""

import sys

from {{ cookiecutter.package_name }}.cli import main

if __name__ == "__main__":
    raise SystemExit(main(["promote", sys.argv[1]] if len(sys.argv) > 1 else ["models"]))
