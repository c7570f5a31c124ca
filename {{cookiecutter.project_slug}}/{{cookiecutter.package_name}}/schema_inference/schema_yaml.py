"""config/schema.yaml as text: what `schema` decided, each decision with its reason as a comment."""

from __future__ import annotations

import json
import re

from .inference import InferredSchema

_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
_YAML_WORDS = frozenset({"true", "false", "yes", "no", "on", "off", "y", "n", "null", "none", "~"})


def yaml_scalar(text: str) -> str:
    """A YAML scalar that reads back as exactly this string."""
    if _PLAIN.match(text) and text.lower() not in _YAML_WORDS:
        return text
    return json.dumps(text, ensure_ascii=False)


def _quoted(label: str) -> str:
    """A label, always quoted: unquoted, YAML would read `True` as a boolean and `1` as a number."""
    return json.dumps(label, ensure_ascii=False)


def render_schema_yaml(schema: InferredSchema, source: str) -> str:
    """config/schema.yaml as text, with the reason of every decision as a comment."""
    lines = [
        f"# What the raw data looks like, inferred from {source} by the `schema` command; edit it freely.",
        "# Validation checks every run against it, and prediction input too.",
        "",
        "target:                 # the column to predict, and every label it takes or `task: regression`",
        f"  column: {yaml_scalar(schema.target)}",
    ]
    if schema.task == "regression":
        lines.append(f"  task: regression  # {schema.task_reason}")
    else:
        lines.append(f"  classes: [{', '.join(_quoted(label) for label in schema.classes)}]  # as the data spells them")
    if schema.positive is not None:
        lines.append(f"  positive: {_quoted(schema.positive)}  # {schema.positive_reason}")
    markers = ", ".join(json.dumps(marker, ensure_ascii=False) for marker in schema.missing_values)
    lines += ["", f'missing_values: [{markers}]  # values that mean "no value" in the raw data', ""]
    dropped = [decision for decision in schema.columns if decision.drop_reason]
    if dropped:
        lines.append("drop_columns:           # present in the raw data but not used as features")
        lines += [f"  - {yaml_scalar(decision.name)}  # {decision.drop_reason}" for decision in dropped]
    else:
        lines.append("drop_columns: []       # present in the raw data but not used as features")
    lines += ["", "columns:              # every raw column except the target: numeric, categorical, boolean, datetime"]
    leaking = {leak.column for leak in schema.leaks}
    lines += [
        f"  {yaml_scalar(decision.name)}: {decision.kind}"
        + ("  # warning: alone predicts the target: a leak?" if decision.name in leaking else "")
        for decision in schema.columns
    ]
    return "\n".join(lines) + "\n"
