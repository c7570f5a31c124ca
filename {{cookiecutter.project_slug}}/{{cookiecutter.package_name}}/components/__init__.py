"""The pipeline's steps. Each is built from its config entity (and the artifacts it consumes) and has one run()."""
