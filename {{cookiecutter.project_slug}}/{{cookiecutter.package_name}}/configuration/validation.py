"""Turning a YAML mapping into a typed settings object, or into one line naming the file, the key and what is wrong."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..exception import ConfigError

Model = TypeVar("Model", bound=BaseModel)


def validate_settings(model: type[Model], content: dict[str, Any], shown: str) -> Model:
    """Validate a mapping against a settings model; every problem is reported, each with its key path."""
    try:
        return model.model_validate(content)
    except ValidationError as exc:
        raise ConfigError(f"{shown}: {describe_errors(model, exc)}") from None


def describe_errors(model: type[BaseModel], error: ValidationError) -> str:
    """`key.path: what is wrong (allowed: ...)` for each error, joined on one line."""
    described = []
    # Unknown keys first: a misspelt key also shows up as the right key missing, and the typo is the cause.
    errors = sorted(error.errors(include_url=False), key=lambda item: item["type"] != "extra_forbidden")
    for item in errors:
        location = ".".join(str(part) for part in item["loc"]) or "(top level)"
        if item["type"] == "extra_forbidden":
            allowed = _allowed_keys(model, item["loc"][:-1])
            described.append(f"{location}: unknown key (allowed: {', '.join(allowed)})")
        elif item["type"] == "missing":
            described.append(f"{location}: required key is missing")
        else:
            described.append(f"{location}: {item['msg']} (got {item.get('input')!r})")
    return "; ".join(described)


def _allowed_keys(model: type[BaseModel], parents: tuple[Any, ...]) -> list[str]:
    """The field names of the (nested) model at `parents`, to suggest the right spelling."""
    current: Any = model
    for part in parents:
        field = getattr(current, "model_fields", {}).get(part)
        annotation = getattr(field, "annotation", None)
        if annotation is None:
            return []
        nested = [arg for arg in (*getattr(annotation, "__args__", ()), annotation) if isinstance(arg, type)]
        current = next((arg for arg in nested if issubclass(arg, BaseModel)), None)
        if current is None:
            return []
    return sorted(current.model_fields)
