"""The model registry: versioned production models under models/production/, with an optional remote mirror."""
