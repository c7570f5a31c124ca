from __future__ import annotations

from pathlib import Path

import pytest

from {{ cookiecutter.package_name }}.exception import ModelNotFoundError, StorageError
from {{ cookiecutter.package_name }}.registry.model_registry import ModelRegistry


def _files(tmp_path: Path, content: str) -> dict[str, Path]:
    model, profile = tmp_path / f"model-{content}", tmp_path / f"profile-{content}"
    model.write_text(content)
    profile.write_text("{}")
    return {"model.joblib": model, "reference_profile.json": profile}


def test_versions_are_kept_and_current_moves(tmp_path: Path) -> None:
    registry = ModelRegistry(tmp_path / "production")

    first = registry.promote(_files(tmp_path, "one"), {"metric": "f1"})
    second = registry.promote(_files(tmp_path, "two"), {"metric": "f1"})

    assert (first.version, second.version) == ("v0001", "v0002")
    assert registry.versions() == ["v0001", "v0002"]
    assert registry.current_version() == "v0002"
    assert first.model_path.read_text() == "one"
    assert second.metadata["version"] == "v0002"


def test_rollback_activates_an_older_version(tmp_path: Path) -> None:
    registry = ModelRegistry(tmp_path / "production")
    registry.promote(_files(tmp_path, "one"), {})
    registry.promote(_files(tmp_path, "two"), {})

    registry.activate("v0001")

    assert registry.current().model_path.read_text() == "one"
    with pytest.raises(ModelNotFoundError, match="v0001, v0002"):
        registry.activate("v0009")


def test_failed_promotion_leaves_production_untouched(tmp_path: Path) -> None:
    registry = ModelRegistry(tmp_path / "production")
    registry.promote(_files(tmp_path, "one"), {})
    broken = {"model.joblib": tmp_path / "does-not-exist"}

    with pytest.raises(StorageError, match="v0002"):
        registry.promote(broken, {})

    assert registry.versions() == ["v0001"]
    assert registry.current_version() == "v0001"
    assert sorted(path.name for path in registry.directory.iterdir()) == ["CURRENT", "v0001"]
