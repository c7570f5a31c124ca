"""Remote transfers of run artifacts and production models (S3 when `artifact_storage` is s3)."""
