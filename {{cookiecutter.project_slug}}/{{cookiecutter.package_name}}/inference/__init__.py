"""The saved model and how it predicts: scikit-learn, or onnxruntime from records, with labels as trained."""
