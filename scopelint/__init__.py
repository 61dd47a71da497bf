"""scopelint: a static linter for TensorFlow 1 variable-scoping mistakes."""

__version__ = "0.2.0"
