"""Makes the project installable with `pip install -e .`: find_packages() picks up every folder with an __init__.py.

Metadata and dependencies live in pyproject.toml; this file only says which packages to ship.
"""

from setuptools import find_packages, setup

setup(
    packages=find_packages(
        include=[
            "{{ cookiecutter.package_name }}",
            "{{ cookiecutter.package_name }}.*",
        ]
    )
)
