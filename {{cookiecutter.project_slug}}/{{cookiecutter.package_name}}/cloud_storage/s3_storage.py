"""A copy of run artifacts and production models in S3 (AWS, MinIO or any S3-compatible store).

Every transfer is verified against the SHA-256 the store itself computed of what it received (ChecksumSHA256):
an upload asks for it, and the store refuses bytes that do not match it; a download is hashed and compared with it.
Credentials come from the standard AWS chain (environment, profile, instance role), never from config files.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Callable
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.exceptions import BotoCoreError, ClientError, FlexibleChecksumError, NoCredentialsError

from ..constants import CURRENT_VERSION_FILE, LOCK_FILE
from ..exception import StorageError
from ..logger import get_logger
from ..utils.files import sha256_hex
from .s3_lock import S3PromotionLock

_HINTS = {
    "NoSuchBucket": "the bucket does not exist: create it or fix storage.s3.bucket in config/config.yaml",
    "404": "the bucket does not exist: create it or fix storage.s3.bucket in config/config.yaml",
    "AccessDenied": "access denied: check the AWS credentials and the bucket policy",
    "403": "access denied: check the AWS credentials and the bucket policy",
    "InvalidAccessKeyId": "the AWS access key is not valid: check AWS_ACCESS_KEY_ID or the profile",
    "SignatureDoesNotMatch": "the AWS secret key is wrong: check AWS_SECRET_ACCESS_KEY or the profile",
}

# Answers to a conditional write whose condition failed (409: a concurrent one) or whose object is gone.
_ALREADY_EXISTS = {"PreconditionFailed", "412", "ConditionalRequestConflict", "409"}
_MISSING = {"NoSuchKey", "404"}
_CONDITION_FAILED = _ALREADY_EXISTS | _MISSING
logger = get_logger(__name__)


# The checksum of a multipart upload is one of its parts' checksums, which no local hash matches: every file goes in
# one request, as large as S3 takes in one.
ONE_REQUEST_BYTES = 5 * 1024**3
_ONE_REQUEST = TransferConfig(multipart_threshold=ONE_REQUEST_BYTES + 1)


def _sha256_base64(hex_digest: str) -> str:
    """How S3 writes a SHA-256 (ChecksumSHA256)."""
    return base64.b64encode(bytes.fromhex(hex_digest)).decode("ascii")


class S3Storage:
    """Verified file transfers under s3://bucket/prefix/."""

    def __init__(self, bucket: str, prefix: str, endpoint_url: str | None = None, client: Any = None) -> None:
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        # boto3 has no type information: its client is Any.
        self.client = client or boto3.client("s3", endpoint_url=endpoint_url or None)

    def url(self, key: str = "") -> str:
        return f"s3://{self.bucket}/{key}"

    def key(self, *parts: str) -> str:
        return "/".join(part.strip("/") for part in (self.prefix, *parts) if part)

    def _failure(self, action: str, exc: Exception) -> StorageError:
        if isinstance(exc, NoCredentialsError):
            reason = "no AWS credentials found: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE"
        elif isinstance(exc, FlexibleChecksumError):  # botocore checks a download against the store's checksum too
            reason = "the copy does not match the stored object's checksum"
        elif isinstance(exc, ClientError):
            code = str(exc.response.get("Error", {}).get("Code", ""))
            reason = _HINTS.get(code, f"the store answered {code or 'an error'}")
        else:
            reason = f"the store cannot be reached ({type(exc).__name__}): check the endpoint URL and the network"
        return StorageError(f"{action} failed: {reason}")

    def check_bucket(self) -> None:
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except (BotoCoreError, ClientError) as exc:
            raise self._failure(f"opening {self.url()}", exc) from exc

    def upload_file(self, path: Path, key: str) -> None:
        size = path.stat().st_size
        if size > ONE_REQUEST_BYTES:
            raise StorageError(f"uploading {path.name} failed: it is over 5 GiB, the most S3 checks in one piece")
        digest = _sha256_base64(sha256_hex(path))
        arguments = {"ChecksumAlgorithm": "SHA256"}
        try:
            self.client.upload_file(str(path), self.bucket, key, ExtraArgs=arguments, Config=_ONE_REQUEST)
            stored = self.client.head_object(Bucket=self.bucket, Key=key, ChecksumMode="ENABLED")
        except (BotoCoreError, ClientError) as exc:
            raise self._failure(f"uploading {path.name} to {self.url(key)}", exc) from exc
        if stored["ContentLength"] != size or stored.get("ChecksumSHA256") != digest:
            raise StorageError(f"uploading {path.name} to {self.url(key)} failed: the stored copy differs")

    def download_file(self, key: str, path: Path) -> None:
        """Download next to the target, verify, then rename: a failed download leaves nothing behind."""
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.download")
        try:
            stored = self.client.head_object(Bucket=self.bucket, Key=key, ChecksumMode="ENABLED")
            expected = self._expected_sha256(key, stored)
            self.client.download_file(self.bucket, key, str(temporary))
        except (BotoCoreError, ClientError) as exc:
            temporary.unlink(missing_ok=True)
            raise self._failure(f"downloading {self.url(key)}", exc) from exc
        digest = sha256_hex(temporary)
        if temporary.stat().st_size != stored["ContentLength"] or expected not in (digest, _sha256_base64(digest)):
            temporary.unlink(missing_ok=True)
            raise StorageError(f"downloading {self.url(key)} failed: the copy does not match the stored object")
        os.replace(temporary, path)

    def _expected_sha256(self, key: str, stored: dict[str, Any]) -> str:
        """The store's own SHA-256 of an object; else, with a warning, the one its uploader recorded in its metadata
        (what this project wrote before it asked the store for one); else a refusal: nothing to verify a copy by."""
        checksum = stored.get("ChecksumSHA256")
        if isinstance(checksum, str) and "-" not in checksum:  # "-N": a multipart upload's checksum of its parts
            return checksum
        recorded = stored.get("Metadata", {}).get("sha256")
        if not recorded:
            raise StorageError(
                f"downloading {self.url(key)} refused: it has no SHA-256 checksum to verify the copy by (written by "
                "another tool, or in parts): upload it again with this project"
            )
        logger.warning(
            "%s has no SHA-256 checksum of the store's own: verified against the one its uploader recorded",
            self.url(key),
        )
        return str(recorded)

    def upload_directory(self, directory: Path, key_prefix: str) -> int:
        files = sorted(path for path in directory.rglob("*") if path.is_file())
        for path in files:
            self.upload_file(path, f"{key_prefix}/{path.relative_to(directory).as_posix()}")
        return len(files)

    def list_keys(self, key_prefix: str) -> list[str]:
        keys: list[str] = []
        try:
            for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=key_prefix):
                keys.extend(item["Key"] for item in page.get("Contents", []))
        except (BotoCoreError, ClientError) as exc:
            raise self._failure(f"listing {self.url(key_prefix)}", exc) from exc
        return keys

    def delete_keys(self, keys: list[str]) -> None:
        for start in range(0, len(keys), 1000):
            objects = [{"Key": key} for key in keys[start : start + 1000]]
            try:
                self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": objects})
            except (BotoCoreError, ClientError) as exc:
                raise self._failure(f"cleaning up {self.url()}", exc) from exc

    def read_text(self, key: str) -> str | None:
        try:
            body: bytes = self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in {"NoSuchKey", "404"}:
                return None
            raise self._failure(f"reading {self.url(key)}", exc) from exc
        except BotoCoreError as exc:
            raise self._failure(f"reading {self.url(key)}", exc) from exc
        return body.decode("utf-8")

    def create_exclusive(self, key: str, text: str) -> str | None:
        """Create an object only if none exists (If-None-Match: *): its ETag, or None if one exists."""
        return self._conditional_put(key, text, IfNoneMatch="*")

    def replace_if_match(self, key: str, text: str, etag: str) -> str | None:
        """Overwrite an object only while it is the one read (If-Match): its new ETag, or None if it changed."""
        return self._conditional_put(key, text, IfMatch=etag)

    def _conditional_put(self, key: str, text: str, **condition: str) -> str | None:
        try:
            answer = self.client.put_object(Bucket=self.bucket, Key=key, Body=text.encode("utf-8"), **condition)
        except (BotoCoreError, ClientError) as exc:
            if isinstance(exc, ClientError) and str(exc.response.get("Error", {}).get("Code", "")) in _CONDITION_FAILED:
                return None
            raise self._failure(f"writing {self.url(key)}", exc) from exc
        return str(answer["ETag"])

    def read_tagged(self, key: str) -> tuple[str, str, float] | None:
        """An object's text, ETag and age in seconds by the store's clock, in one request; None if it is absent."""
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=key)
            text = answer["Body"].read().decode("utf-8", "replace")
        except (BotoCoreError, ClientError) as exc:
            if isinstance(exc, ClientError) and str(exc.response.get("Error", {}).get("Code", "")) in _MISSING:
                return None
            raise self._failure(f"reading {self.url(key)}", exc) from exc
        now = parsedate_to_datetime(answer["ResponseMetadata"]["HTTPHeaders"]["date"])
        written: datetime = answer["LastModified"]
        return text, str(answer["ETag"]), (now - written).total_seconds()

    def delete_if_match(self, key: str, etag: str) -> bool:
        """Delete an object only while it is the one written (If-Match); False if it changed or is gone."""
        try:
            self.client.delete_object(Bucket=self.bucket, Key=key, IfMatch=etag)
        except (BotoCoreError, ClientError) as exc:
            if isinstance(exc, ClientError) and str(exc.response.get("Error", {}).get("Code", "")) in _CONDITION_FAILED:
                return False
            raise self._failure(f"deleting {self.url(key)}", exc) from exc
        return True

    def write_text(self, key: str, text: str) -> None:
        try:
            self.client.put_object(Bucket=self.bucket, Key=key, Body=text.encode("utf-8"))
        except (BotoCoreError, ClientError) as exc:
            raise self._failure(f"writing {self.url(key)}", exc) from exc


class S3ModelMirror:
    """models/production/ mirrored under <prefix>/models/production/: versions first, the CURRENT pointer last."""

    def __init__(self, storage: S3Storage) -> None:
        self.storage = storage
        self.root = storage.key("models", "production")

    def describe(self) -> str:
        return self.storage.url(self.root)

    def versions(self) -> list[str]:
        names = {key[len(self.root) + 1 :].split("/", 1)[0] for key in self.storage.list_keys(self.root + "/")}
        return sorted(name for name in names if name.startswith("v") and name[1:].isdigit())

    def current_version(self) -> str | None:
        text = self.storage.read_text(f"{self.root}/{CURRENT_VERSION_FILE}")
        return text.strip() if text else None

    def upload_version(self, version: str, directory: Path) -> None:
        """Upload every file of a version; on failure remove what was uploaded, then raise."""
        self.storage.check_bucket()
        try:
            self.storage.upload_directory(directory, f"{self.root}/{version}")
        except StorageError:
            self.storage.delete_keys(self.storage.list_keys(f"{self.root}/{version}/"))
            raise

    def download_version(self, version: str, directory: Path) -> None:
        keys = self.storage.list_keys(f"{self.root}/{version}/")
        if not keys:
            raise StorageError(f"{self.describe()}/{version} is empty")
        for key in keys:
            self.storage.download_file(key, directory / key[len(self.root) + len(version) + 2 :])

    def lock(self, on_wait: Callable[[str], None], local_holder: str) -> S3PromotionLock:
        """The remote lock; `local_holder` names this host and models directory, whose local lock is held."""
        return S3PromotionLock(self.storage, f"{self.root}/{LOCK_FILE}", on_wait, local_holder)

    def set_current(self, version: str) -> None:
        self.storage.write_text(f"{self.root}/{CURRENT_VERSION_FILE}", version + "\n")


class S3ArtifactStore:
    """Run artifacts copied to <prefix>/artifacts/<run-id>/ once a run has finished."""

    def __init__(self, storage: S3Storage) -> None:
        self.storage = storage

    def sync_run(self, run_dir: Path) -> str:
        self.storage.check_bucket()
        key_prefix = self.storage.key("artifacts", run_dir.name)
        count = self.storage.upload_directory(run_dir, key_prefix)
        return f"{count} files to {self.storage.url(key_prefix)}"
