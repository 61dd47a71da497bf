"""A small Python interpreter over libcst trees that knows no TensorFlow.

``values`` (the value domain), ``statements``, ``expressions``, ``calls`` and ``imports`` (the
parts of ``Interpreter``), ``signals`` (control flow and budgets), ``args`` (reading calls) and
``hooks`` (the one interface an API model implements). ``scopelint.tf`` is that model.
"""
