"""Training data from a MongoDB collection, read in batches; the connection string comes from MONGODB_URL."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from pymongo import MongoClient
from pymongo.errors import ConfigurationError, OperationFailure, PyMongoError

from ..constants import MONGODB_URL_ENV_VAR
from ..exception import ConfigError, InputError, StorageError
from ..utils.redaction import redact

_AUTHENTICATION_FAILED = 18


class MongoDBSource:
    def __init__(
        self,
        url: str,
        database: str,
        collection: str,
        missing_values: tuple[str, ...] = (),
        batch_size: int = 5000,
        timeout_seconds: float = 10.0,
        client: Any = None,
    ) -> None:
        self.url = url
        self.database = database
        self.collection = collection
        self.missing_values = missing_values
        self.batch_size = batch_size
        self.timeout_seconds = timeout_seconds
        self._client = client

    def describe(self) -> str:
        return f"mongodb collection {self.database}.{self.collection} at {redact(self.url)}"

    def _connect(self) -> Any:
        if self._client is None:
            try:
                self._client = MongoClient(self.url, serverSelectionTimeoutMS=int(self.timeout_seconds * 1000))
            except ConfigurationError as exc:
                raise ConfigError(f"{MONGODB_URL_ENV_VAR} is not a valid MongoDB URL: {redact(self.url)}") from exc
        return self._client

    def _existing_collection(self) -> Any:
        """The collection, after checking the server answers and the database and collection exist."""
        client = self._connect()
        try:
            databases = client.list_database_names()
            if self.database not in databases:
                raise InputError(
                    f"MongoDB database '{self.database}' does not exist at {redact(self.url)}; "
                    "load the data with scripts/load_data.py or fix data_source.mongodb in config.yaml"
                )
            if self.collection not in client[self.database].list_collection_names():
                raise InputError(
                    f"MongoDB collection '{self.database}.{self.collection}' does not exist; "
                    "load the data with scripts/load_data.py or fix data_source.mongodb in config.yaml"
                )
        except OperationFailure as exc:
            if exc.code == _AUTHENTICATION_FAILED:
                raise StorageError(f"MongoDB refused the credentials in {MONGODB_URL_ENV_VAR}") from exc
            raise StorageError(f"MongoDB refused the request ({exc.code}) at {redact(self.url)}") from exc
        except PyMongoError as exc:
            raise StorageError(
                f"cannot reach MongoDB at {redact(self.url)} within {self.timeout_seconds}s: "
                f"check {MONGODB_URL_ENV_VAR} and that the server is running"
            ) from exc
        return client[self.database][self.collection]

    def read(self) -> pd.DataFrame:
        return self._read(0)

    def read_sample(self, rows: int) -> pd.DataFrame:
        """A random sample of at most `rows` documents, drawn by the server's `$sample` stage (used by `schema`).

        The first documents of a collection are often one class or one period, so they would mislead the inference.
        """
        return self._read(rows)

    def sample_description(self, rows: int) -> str:
        """How `read_sample` chooses its documents, in words for the `schema` command's explanation."""
        return f"a random sample of at most {rows} documents"

    @staticmethod
    def sample_pipeline(rows: int) -> list[dict[str, Any]]:
        """The aggregation `read_sample` runs: `rows` documents drawn at random."""
        return [{"$sample": {"size": int(rows)}}]

    def _read(self, limit: int) -> pd.DataFrame:
        collection = self._existing_collection()
        try:
            if limit:
                # `$sample` may return a document twice: keep each `_id` once, then drop `_id` as `find` does.
                cursor = collection.aggregate(self.sample_pipeline(limit), batchSize=self.batch_size)
                drawn = {document["_id"]: document for document in cursor}
                records = [{key: value for key, value in item.items() if key != "_id"} for item in drawn.values()]
            else:
                records = list(collection.find({}, {"_id": False}, batch_size=self.batch_size))
            frame = pd.DataFrame.from_records(records)
        except PyMongoError as exc:
            raise StorageError(f"reading {self.describe()} failed") from exc
        # The sensor data stores missing readings as strings such as "na".
        return frame.replace(list(self.missing_values), np.nan) if self.missing_values else frame

    def write(self, frame: pd.DataFrame) -> int:
        """Replace the collection's documents with the frame's rows, in batches (used by the loader script)."""
        client = self._connect()
        collection = client[self.database][self.collection]
        records = frame.to_dict(orient="records")
        try:
            collection.delete_many({})
            for start in range(0, len(records), self.batch_size):
                collection.insert_many(records[start : start + self.batch_size])
        except OperationFailure as exc:
            raise StorageError(f"MongoDB refused the write to {self.describe()} ({exc.code})") from exc
        except PyMongoError as exc:
            raise StorageError(f"cannot write to {self.describe()}: is the server running?") from exc
        return len(records)
