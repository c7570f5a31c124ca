from __future__ import annotations

from {{ cookiecutter.package_name }}.exception import PipelineError


def _fail_deep_inside() -> None:
    {}["missing-key"]


def test_error_names_the_line_where_it_started() -> None:
    try:
        try:
            _fail_deep_inside()
        except KeyError as exc:
            raise PipelineError("could not read the settings") from exc
    except PipelineError as error:
        message = str(error)

    assert message.startswith("could not read the settings (started at ")
    assert "test_exception.py" in message
    assert "_fail_deep_inside" in message
