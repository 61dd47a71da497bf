"""The call profile of `benchmarks/calls.py` classifies calls into imported functions correctly."""

from __future__ import annotations

import textwrap

from benchmarks import calls


def test_call_profile_sees_repeated_and_quiet_calls(tmp_path, capsys):
    (tmp_path / "lib.py").write_text(textwrap.dedent("""
        import tensorflow as tf

        def width(x):
            return x * 2

        def dense(x, name):
            return tf.get_variable(name, [x, 4])
    """))
    (tmp_path / "main.py").write_text(textwrap.dedent("""
        import tensorflow as tf
        from lib import dense, width

        a = width(3)
        b = width(3)
        dense(3, "w")
        dense(3, "v")
    """))
    profile = calls.Profile()
    original = calls.calls.Calls.call_function
    recorded = []
    profile.record = lambda fn, arguments, state, quiet, spent: recorded.append(
        (fn.qualname, quiet, arguments)
    )
    try:
        profile.wrap()
        main = tmp_path / "main.py"
        profile.start_file(main)
        index = calls.ProjectIndex([main], root=tmp_path)
        calls.check_bytes(main.read_bytes(), str(main), project=index)
    finally:
        calls.calls.Calls.call_function = original
    assert [(name, quiet) for name, quiet, _ in recorded] == [
        ("width", True), ("width", True), ("dense", False), ("dense", False),
    ]
    assert recorded[0][2] == recorded[1][2]  # width(3) twice: the same fingerprint
    assert recorded[2][2] != recorded[3][2]  # dense(3, "w") and dense(3, "v") differ
