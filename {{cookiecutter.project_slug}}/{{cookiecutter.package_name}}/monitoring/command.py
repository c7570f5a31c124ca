"""The `monitor` command: the drift of what the server scored against the production model's training profile.

`python -m <package> monitor [--since 2026-01-31T00:00]`
writes the same report as a training run's validation, with the same verdict (`drift.drift_verdict`), and a page
with the same data section as a run's page: per column, the served rows' histogram over the reference's."""

from __future__ import annotations

import argparse
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from ..builders.model_registry import build_model_registry
from ..configuration import Settings
from ..constants import PREDICTION_COLUMN, REFERENCE_PROFILE_FILE
from ..exception import InputError, ModelNotFoundError
from ..registry.model_registry import ProductionModel
from ..reports.last_run import no_production_model
from ..utils.arguments import Parser
from ..utils.files import atomic_write_text, read_json, write_yaml
from ..utils.run_id import new_run_id

if TYPE_CHECKING:
    import pandas as pd


def add_monitor_command(commands: argparse._SubParsersAction[Parser]) -> None:
    monitor = commands.add_parser("monitor", help="drift of the features the server scored (see README.md)")
    monitor.add_argument(
        "--since",
        type=since_time,
        help="only rows scored at or after this ISO 8601 date or time, e.g. 2026-01-31 or 2026-01-31T08:00 (UTC "
        "unless it ends in Z or +01:00; default: all logged)",
    )
    monitor.set_defaults(handler=run_monitor)


def since_time(text: str) -> datetime:
    """An ISO 8601 date or time as UTC (a time without a zone is taken as UTC), or an argparse error."""
    clean = text.strip()
    if clean.endswith(("Z", "z")):  # Python before 3.11 reads only the +00:00 spelling of UTC
        clean = clean[:-1] + "+00:00"
    try:
        stamp = datetime.fromisoformat(clean)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an ISO 8601 date or time: give 2026-01-31, 2026-01-31T08:00, 2026-01-31T08:00:00Z "
            "or 2026-01-31T08:00:00+01:00"
        ) from None
    return stamp.replace(tzinfo=timezone.utc) if stamp.tzinfo is None else stamp.astimezone(timezone.utc)


def _reference_profile(production: ProductionModel) -> dict[str, Any]:
    """The training profile drift is measured against. Without it there is no reference, never "no drift"; and
    the exit code is 2, nothing to compare, never 1, which says drift was found."""
    try:
        profile = read_json(production.profile_path)
    except FileNotFoundError:
        problem = f"has no {REFERENCE_PROFILE_FILE}"
    except (OSError, ValueError) as exc:
        problem = f"has a {REFERENCE_PROFILE_FILE} that cannot be read ({type(exc).__name__})"
    else:
        if isinstance(profile, dict):
            return profile
        problem = f"has a {REFERENCE_PROFILE_FILE} that is not a profile"
    raise InputError(
        f"no reference: {production.version} {problem}, so drift cannot be measured against its training data; "
        "train a new version to get one"
    )


def run_monitor(settings: Settings, arguments: argparse.Namespace) -> int:
    """0 when no drift is detected, 1 when it is (so a scheduler can alert), 2 when there is nothing to compare."""
    # Imported here: pandas and the report are needed only when the command runs, not to list it in --help.
    from ..reports.data_section import data_section
    from ..reports.run_page import decision_section, render_page
    from ..utils.frames import typed_features
    from .drift import drift_verdict
    from .feature_log import FEATURE_LOG, read_feature_log

    production = build_model_registry(settings).current()
    if production is None:
        artifacts = settings.path(settings.config.storage.artifacts_dir)
        raise ModelNotFoundError(f"{no_production_model(artifacts)} (nothing to compare the scored features with)")
    schema = production.data_schema or settings.schema  # the features production was trained on
    logged = read_feature_log(settings.path(FEATURE_LOG), arguments.since, schema.missing_values)
    since = arguments.since.isoformat() if arguments.since else None
    if logged.empty:
        raise InputError(
            f"no scored features in {FEATURE_LOG} since {since or 'the start'} "
            "(the server logs them only when its feature log is switched on, see README.md)"
        )
    columns = [column for column in schema.feature_columns if column in logged.columns]
    features = typed_features(logged, {column: schema.feature_types[column] for column in columns})
    options = settings.config.data_validation.drift
    reference = _reference_profile(production)
    verdict = drift_verdict(
        reference,
        features,
        psi_threshold=options.psi_threshold,
        missing_share_threshold=options.missing_share_threshold,
        max_drifted_share=options.max_drifted_share,
    )
    drifted, detected = verdict.drifted_columns, verdict.detected
    shift = prediction_shift(production, logged, reference)
    report = {
        "status": "failed" if detected else "passed",
        "problems": [f"drift against {production.version} in: {', '.join(drifted)}"] if detected else [],
        "rows": {"scored": len(features)},
        "since": since,
        "missing_fraction": {column: round(float(features[column].isna().mean()), 4) for column in columns},
        "drift": {"reference_version": production.version, **verdict.report(), "prediction_psi": shift},
    }
    output = settings.path(settings.config.storage.artifacts_dir) / f"monitor-{new_run_id()}"
    write_yaml(output / "report.yaml", report)
    served = f"{len(features)} rows scored since {since or 'the start'}, as the server logged them."
    found = "drift detected" if detected else "no drift detected"
    if drifted:
        found += f"; {len(drifted)} of {len(columns)} columns drifted: {', '.join(drifted)}"
        found += "" if detected else f" (drift is declared when more than {options.max_drifted_share:g} of them do)"
    sections = [
        decision_section(not detected, f"Served rows against {production.version}: {found}."),
        data_section(report, features, schema.feature_types, reference, summary=served, subject="the served rows"),
    ]
    page = output / "report.html"
    atomic_write_text(page, render_page(f"Monitor {output.name.removeprefix('monitor-')}", sections))
    print(
        f"{len(features)} scored rows vs {production.version}: drifted columns: {', '.join(drifted) or 'none'}"
        f"{' (drift detected)' if detected else ''}"
        f"{f'; predictions vs the training target: PSI {shift:.3f}' if shift is not None else ''}; report: {page}"
    )
    return 1 if detected else 0


def prediction_shift(production: ProductionModel, logged: pd.DataFrame, profile: dict[str, Any]) -> float | None:
    """PSI of the model's answers on the scored rows against the target at training time (`drift.target_shift`):
    the predicted classes' shares, or the predicted values' deciles. None when rows lack a feature or the
    reference did not keep its target."""
    from ..inference.model import TabularModel
    from .drift import target_shift

    model = TabularModel.load(production.model_path)
    if any(column not in logged.columns for column in model.feature_columns):
        return None
    answers = model.predict(logged)[PREDICTION_COLUMN]
    return target_shift(profile, answers, model.is_regression)
