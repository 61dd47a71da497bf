"""Resolving what a file imports: TF names to canonical API names (``tfapi``), the run's own
modules (``project``, parsed lazily as ``skeleton``s), and installed packages whose code is
followed (``installed``)."""
