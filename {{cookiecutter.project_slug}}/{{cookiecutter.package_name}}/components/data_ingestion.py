"""Step 1: extract the raw data, keep a copy for the run, and split it into train and test sets."""

from __future__ import annotations

from ..data_access import DataSource
from ..entity.artifact_entity import DataIngestionArtifact
from ..entity.config_entity import DataIngestionConfig
from ..exception import InputError
from ..logger import get_logger
from ..training.splitting import MAX_TEST_SHARE, split_rows
from ..utils.files import file_fingerprint
from ..utils.frames import require_columns
from ..utils.labels import match_labels

logger = get_logger(__name__)


class DataIngestion:
    def __init__(self, config: DataIngestionConfig, source: DataSource) -> None:
        self.config = config
        self.source = source

    def run(self) -> DataIngestionArtifact:
        schema = self.config.data_schema
        logger.info("reading %s", self.source.describe())
        frame = self.source.read()
        if frame.empty:
            raise InputError(f"{self.source.describe()} returned no rows")
        deciding = self.config.time_column if self.config.split == "time" else self.config.key_column
        require_columns(frame, [schema.target, *([deciding] if deciding else [])], what=self.source.describe())
        labelled = frame.dropna(subset=[schema.target])
        if len(labelled) < len(frame):
            logger.warning("dropped %d rows without a '%s' value", len(frame) - len(labelled), schema.target)
        # The key (or the schema's columns), or the time, decides the side: reruns, appended or reordered data keep
        # every row on the side it was on, so the production model is never tested on rows it trained on.
        in_test, spec = split_rows(labelled, self.config, schema)
        train, test = labelled[~in_test], labelled[in_test]
        if train.empty or test.empty:
            raise InputError(f"cannot split {len(labelled)} rows into train and test sets: one side is empty")
        if len(labelled) * MAX_TEST_SHARE < self.config.min_test_rows:
            logger.warning(
                "%d test rows, fewer than min_test_rows (%d) as the test set takes at most half of the %d rows: "
                "the gate's score is noisy, and its margin wider",
                len(test),
                self.config.min_test_rows,
                len(labelled),
            )

        output = self.config.output_dir
        output.mkdir(parents=True, exist_ok=True)
        dataset_path, train_path, test_path = output / "dataset.csv", output / "train.csv", output / "test.csv"
        labelled.to_csv(dataset_path, index=False)
        train.to_csv(train_path, index=False)
        test.to_csv(test_path, index=False)
        labels, _ = match_labels(labelled[schema.target], schema.classes)
        counts = {label: int((labels == label).sum()) for label in schema.classes}
        positive_rate = counts.get(schema.positive_label, 0) / len(labelled) if schema.positive_label else None
        return DataIngestionArtifact(
            dataset_path=dataset_path,
            train_path=train_path,
            test_path=test_path,
            rows=len(labelled),
            train_rows=len(train),
            test_rows=len(test),
            positive_rate=positive_rate,
            class_counts=counts,
            data_fingerprint=file_fingerprint(dataset_path),
            split_spec=spec,
        )
