"""Running the stages: one file's ``Source`` to diagnostics (``engine``), the files of a run with
workers and the result cache (``runner``, ``lanes``, ``cache``, ``progress``), the
configuration (``config``) and the command line (``cli``)."""
