"""The model zoo: real public TF1 models, built by small builders (``models/``), with TF's
variables as truth and scopelint's ``--show-variables`` as prediction. ``python -m tests.zoo``."""
