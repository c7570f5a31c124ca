"""What goes into each component (config_entity) and what comes out of it (artifact_entity)."""
