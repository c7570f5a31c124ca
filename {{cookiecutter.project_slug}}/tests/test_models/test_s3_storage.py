"""S3 storage against a real S3 endpoint over HTTP: moto's server on 127.0.0.1, no patching of boto3."""

from __future__ import annotations

from pathlib import Path

import pytest

from {{ cookiecutter.package_name }}.cloud_storage.s3_storage import S3ModelMirror, S3Storage
from {{ cookiecutter.package_name }}.exception import StorageError
from {{ cookiecutter.package_name }}.registry.model_registry import ModelRegistry

from tests.conftest import use_s3

BUCKET = "test-models"


@pytest.fixture
def storage(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> S3Storage:
    use_s3(s3_endpoint, BUCKET, monkeypatch)
    return S3Storage(BUCKET, "project", endpoint_url=s3_endpoint)


def _version_files(tmp_path: Path, content: str) -> dict[str, Path]:
    model, profile = tmp_path / f"model-{content}", tmp_path / f"profile-{content}"
    model.write_text(content)
    profile.write_text("{}")
    return {"model.joblib": model, "reference_profile.json": profile}


def test_transfer_round_trip_is_verified(storage: S3Storage, tmp_path: Path) -> None:
    source = tmp_path / "a.bin"
    source.write_bytes(b"sensor" * 1000)

    storage.upload_file(source, storage.key("a.bin"))
    storage.download_file(storage.key("a.bin"), tmp_path / "copy" / "a.bin")

    assert (tmp_path / "copy" / "a.bin").read_bytes() == source.read_bytes()


def test_tampered_object_is_refused_and_nothing_is_left(storage: S3Storage, tmp_path: Path) -> None:
    storage.client.put_object(Bucket=BUCKET, Key="project/b.bin", Body=b"other", Metadata={"sha256": "0" * 64})

    with pytest.raises(StorageError, match="does not match"):
        storage.download_file("project/b.bin", tmp_path / "b.bin")
    assert list(tmp_path.iterdir()) == []


def test_promotion_is_mirrored_and_a_new_machine_pulls_it(storage: S3Storage, tmp_path: Path) -> None:
    mirror = S3ModelMirror(storage)
    ModelRegistry(tmp_path / "here", mirror).promote(_version_files(tmp_path, "one"), {"metric": "f1"})

    assert mirror.versions() == ["v0001"]
    assert mirror.current_version() == "v0001"

    elsewhere = ModelRegistry(tmp_path / "elsewhere", mirror)
    pulled = elsewhere.current()
    assert pulled is not None and pulled.version == "v0001"
    assert pulled.model_path.read_text() == "one"
    assert pulled.metadata["version"] == "v0001"


def test_version_numbers_continue_from_the_mirror(storage: S3Storage, tmp_path: Path) -> None:
    mirror = S3ModelMirror(storage)
    ModelRegistry(tmp_path / "first", mirror).promote(_version_files(tmp_path, "one"), {})

    second = ModelRegistry(tmp_path / "second", mirror).promote(_version_files(tmp_path, "two"), {})

    assert second.version == "v0002"
    assert mirror.current_version() == "v0002"


def test_failed_upload_leaves_no_half_written_model_anywhere(storage, tmp_path, monkeypatch) -> None:
    mirror = S3ModelMirror(storage)
    registry = ModelRegistry(tmp_path / "production", mirror)
    registry.promote(_version_files(tmp_path, "one"), {})
    real_upload = storage.upload_file
    calls = []

    def fail_second_upload(path: Path, key: str) -> None:
        calls.append(key)
        if len(calls) == 2:
            raise StorageError("uploading failed: the store cannot be reached")
        real_upload(path, key)

    monkeypatch.setattr(storage, "upload_file", fail_second_upload)
    with pytest.raises(StorageError):
        registry.promote(_version_files(tmp_path, "two"), {})

    assert mirror.versions() == ["v0001"]
    assert mirror.current_version() == "v0001"
    assert registry.versions() == ["v0001"]
    assert registry.current_version() == "v0001"


def test_missing_bucket_says_what_to_fix(s3_endpoint: str, storage: S3Storage, tmp_path: Path) -> None:
    missing = S3Storage("no-such-bucket", "project", endpoint_url=s3_endpoint)

    with pytest.raises(StorageError, match="bucket does not exist"):
        S3ModelMirror(missing).upload_version("v0001", tmp_path)
