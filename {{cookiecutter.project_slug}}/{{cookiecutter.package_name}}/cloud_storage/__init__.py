"""Where models and artifacts are kept: versioned production models on the local disk."""
