"""scopelint: a static linter for TensorFlow 1 variable-scoping mistakes."""

__version__ = "0.1.0"
