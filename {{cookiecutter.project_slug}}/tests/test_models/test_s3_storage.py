"""S3 storage against a real S3 endpoint over HTTP: moto's server on 127.0.0.1, no patching of boto3."""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import threading
import time
from pathlib import Path

import pytest

from {{ cookiecutter.package_name }}.cloud_storage.s3_lock import S3PromotionLock
from {{ cookiecutter.package_name }}.cloud_storage.s3_storage import (
    S3ModelMirror,
    S3Storage,
)
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


def _sha256_base64(content: bytes) -> str:
    return base64.b64encode(hashlib.sha256(content).digest()).decode("ascii")


def test_an_upload_is_checked_against_the_checksum_the_store_computed(storage: S3Storage, tmp_path: Path) -> None:
    source = tmp_path / "c.bin"
    source.write_bytes(b"sensor" * 1000)

    storage.upload_file(source, storage.key("c.bin"))

    stored = storage.client.head_object(Bucket=BUCKET, Key="project/c.bin", ChecksumMode="ENABLED")
    assert stored["ChecksumSHA256"] == _sha256_base64(source.read_bytes())


def test_an_object_whose_checksum_does_not_match_is_refused(storage: S3Storage, tmp_path: Path) -> None:
    """moto keeps a checksum that does not match the bytes (S3 refuses the upload): an object damaged since."""
    wrong = {"ChecksumAlgorithm": "SHA256", "ChecksumSHA256": _sha256_base64(b"something else")}
    storage.client.put_object(Bucket=BUCKET, Key="project/d.bin", Body=b"other", **wrong)

    with pytest.raises(StorageError, match="does not match"):
        storage.download_file("project/d.bin", tmp_path / "d.bin")
    assert list(tmp_path.iterdir()) == []


def test_an_object_without_a_checksum_is_refused_not_pulled_unverified(storage: S3Storage, tmp_path: Path) -> None:
    storage.client.put_object(Bucket=BUCKET, Key="project/e.bin", Body=b"written by another tool")

    with pytest.raises(StorageError, match="no SHA-256 checksum"):
        storage.download_file("project/e.bin", tmp_path / "e.bin")
    assert list(tmp_path.iterdir()) == []


def test_an_object_with_only_its_uploaders_sha256_is_verified_against_it_and_says_so(
    storage: S3Storage, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """What versions uploaded before the store's own checksum was asked for carry."""
    content = b"an older upload"
    recorded = hashlib.sha256(content).hexdigest()
    storage.client.put_object(Bucket=BUCKET, Key="project/f.bin", Body=content, Metadata={"sha256": recorded})

    with caplog.at_level(logging.WARNING):
        storage.download_file("project/f.bin", tmp_path / "f.bin")

    assert (tmp_path / "f.bin").read_bytes() == content
    [warning] = [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]
    assert "s3://test-models/project/f.bin has no SHA-256 checksum of the store's own" in warning


def test_promotion_is_mirrored_and_a_new_machine_pulls_it(storage: S3Storage, tmp_path: Path) -> None:
    mirror = S3ModelMirror(storage)
    ModelRegistry(tmp_path / "here", mirror).promote(_version_files(tmp_path, "one"), {"metric": "f1"})

    assert mirror.versions() == ["v0001"]
    assert mirror.current_version() == "v0001"

    elsewhere = ModelRegistry(tmp_path / "elsewhere", mirror)
    pulled = elsewhere.current()
    assert pulled is not None
    assert pulled.version == "v0001"
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


def test_promotions_on_two_machines_wait_for_the_remote_lock(storage: S3Storage, tmp_path: Path, caplog) -> None:
    mirror = S3ModelMirror(storage)
    here, elsewhere = ModelRegistry(tmp_path / "here", mirror), ModelRegistry(tmp_path / "elsewhere", mirror)
    here.promote(_version_files(tmp_path, "one"), {})
    finished = threading.Event()

    def promote_elsewhere() -> None:
        elsewhere.promote(
            _version_files(tmp_path, "two"),
            {},
            evaluated_against=None,
            regate=lambda production: (True, f"beats {production.version}"),
        )
        finished.set()

    with caplog.at_level(logging.WARNING), mirror.lock(lambda holder: None, "host other-machine dir /srv/models"):
        worker = threading.Thread(target=promote_elsewhere)
        worker.start()
        time.sleep(1.5)
        assert not finished.is_set(), "the second machine did not wait for the remote lock"
    worker.join(30)

    assert finished.is_set()
    assert "waiting for the promotion lock" in caplog.text
    assert mirror.current_version() == "v0002"
    # gated again against v0001, promoted on the other machine, which it had not been evaluated against
    assert elsewhere.get("v0002").metadata["regated"] == "beats v0001"
    assert ".promotion.lock" not in " ".join(storage.list_keys(mirror.root + "/"))


def test_a_remote_lock_abandoned_by_a_killed_process_is_broken_when_stale(storage: S3Storage) -> None:
    mirror = S3ModelMirror(storage)
    key = f"{mirror.root}/.promotion.lock"
    assert storage.create_exclusive(key, "host gone pid 1")
    assert not storage.create_exclusive(key, "host here pid 2"), "the store ignores If-None-Match: no mutual exclusion"
    waits: list[str] = []

    with S3PromotionLock(
        storage, key, waits.append, "host here dir /models", stale_after_seconds=0.0, poll_seconds=0.05
    ):
        assert "host gone" not in (storage.read_text(key) or ""), "the stale lock was not broken"
        assert f"pid {os.getpid()}" in (storage.read_text(key) or "")

    assert storage.read_text(key) is None


def test_a_remote_lock_left_by_a_killed_process_of_this_directory_is_broken_at_once(storage: S3Storage) -> None:
    """Whoever wrote it held the local lock of this directory, which is ours now: it cannot be alive."""
    key = f"{S3ModelMirror(storage).root}/.promotion.lock"
    assert storage.create_exclusive(key, "host here dir /models pid 4242 lock dead")
    waits: list[str] = []

    with S3PromotionLock(storage, key, waits.append, "host here dir /models", stale_after_seconds=3600):
        assert f"pid {os.getpid()}" in (storage.read_text(key) or "")

    assert waits == []


def test_two_waiters_that_both_judge_a_lock_abandoned_cannot_both_take_it_over(storage: S3Storage) -> None:
    key = f"{S3ModelMirror(storage).root}/.promotion.lock"
    abandoned = storage.create_exclusive(key, "host gone pid 1")
    assert abandoned is not None

    with S3PromotionLock(storage, key, [].append, "host a dir /models", stale_after_seconds=0.0, poll_seconds=0.05):
        # The second waiter read the abandoned lock (its ETag) before the first took it over: its takeover loses.
        assert storage.replace_if_match(key, "host b dir /models pid 2 lock late", abandoned) is None
        held = storage.read_tagged(key)
        assert held is not None
        assert held[0].startswith("host a dir /models pid ")

    assert storage.read_tagged(key) is None


def test_a_release_never_deletes_the_lock_of_a_process_that_took_it_over(
    storage: S3Storage, caplog: pytest.LogCaptureFixture
) -> None:
    key = f"{S3ModelMirror(storage).root}/.promotion.lock"

    with caplog.at_level(logging.WARNING), S3PromotionLock(storage, key, [].append, "host a dir /models"):
        # Another machine judged this lock abandoned (a holder slower than stale_after_seconds) and took it over.
        held = storage.read_tagged(key)
        assert held is not None
        assert storage.replace_if_match(key, "host b dir /models pid 9 lock new", held[1]) is not None

    after = storage.read_tagged(key)
    assert after is not None
    assert after[0] == "host b dir /models pid 9 lock new"
    assert "was taken over while held" in caplog.text
