"""The project's package; PROJECT_NAME and DESCRIPTION say what it is (they come from the template's answers)."""

PROJECT_NAME = {{ cookiecutter.project_name | tojson }}
DESCRIPTION = {{ cookiecutter.description | tojson }}
__version__ = "{{ cookiecutter.version }}"
