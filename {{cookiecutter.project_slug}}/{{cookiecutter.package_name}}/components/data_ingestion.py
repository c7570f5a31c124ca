"""Step 1: extract the raw data, keep a copy for the run, and split it into train and test sets."""

from __future__ import annotations

from sklearn.model_selection import train_test_split

from {{ cookiecutter.package_name }}.data_access import DataSource
from {{ cookiecutter.package_name }}.entity.artifact_entity import DataIngestionArtifact
from {{ cookiecutter.package_name }}.entity.config_entity import DataIngestionConfig
from {{ cookiecutter.package_name }}.exception import InputError
from {{ cookiecutter.package_name }}.logger import get_logger
from {{ cookiecutter.package_name }}.utils.files import file_fingerprint
from {{ cookiecutter.package_name }}.utils.frames import require_columns

logger = get_logger(__name__)


class DataIngestion:
    def __init__(self, config: DataIngestionConfig, source: DataSource) -> None:
        self.config = config
        self.source = source

    def run(self) -> DataIngestionArtifact:
        schema = self.config.schema
        logger.info("reading %s", self.source.describe())
        frame = self.source.read()
        if frame.empty:
            raise InputError(f"{self.source.describe()} returned no rows")
        require_columns(frame, [schema.target], what=self.source.describe())
        labelled = frame.dropna(subset=[schema.target])
        if len(labelled) < len(frame):
            logger.warning("dropped %d rows without a '%s' value", len(frame) - len(labelled), schema.target)
        try:
            # Seeded and stratified: the rare class keeps its share in both sets, and reruns split alike.
            train, test = train_test_split(
                labelled,
                test_size=self.config.test_size,
                random_state=self.config.random_state,
                stratify=labelled[schema.target],
            )
        except ValueError as exc:
            raise InputError(f"cannot split {len(labelled)} rows into train and test sets: {exc}") from exc

        output = self.config.output_dir
        output.mkdir(parents=True, exist_ok=True)
        dataset_path, train_path, test_path = output / "dataset.csv", output / "train.csv", output / "test.csv"
        labelled.to_csv(dataset_path, index=False)
        train.to_csv(train_path, index=False)
        test.to_csv(test_path, index=False)
        positive_rate = float((labelled[schema.target].astype(str) == schema.positive_label).mean())
        return DataIngestionArtifact(
            dataset_path=dataset_path,
            train_path=train_path,
            test_path=test_path,
            rows=len(labelled),
            train_rows=len(train),
            test_rows=len(test),
            positive_rate=positive_rate,
            data_fingerprint=file_fingerprint(dataset_path),
        )
