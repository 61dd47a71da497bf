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
    originals = (calls.calls.Calls.call_function, calls.imports.Imports._project_module,
                 calls.ProjectIndex.module, calls.Skeleton.body)
    recorded = []
    record = profile.record
    profile.record = lambda fn, arguments, state, quiet, spent: (
        recorded.append((fn.qualname, quiet, arguments)), record(fn, arguments, state, quiet, spent)
    )
    try:
        profile.wrap()
        main = tmp_path / "main.py"
        profile.start_file(main)
        index = calls.ProjectIndex([main], root=tmp_path)
        calls.check_bytes(main.read_bytes(), str(main), project=index)
    finally:
        profile.unwrap()
    assert [(name, quiet) for name, quiet, _ in recorded] == [
        ("width", True), ("width", True), ("dense", False), ("dense", False),
    ]
    assert recorded[0][2] == recorded[1][2]  # width(3) twice: the same fingerprint
    assert recorded[2][2] != recorded[3][2]  # dense(3, "w") and dense(3, "v") differ
    assert profile.count["calls into imported functions"] == 4
    assert "  same arguments as an earlier call in the file" in profile.time
    # At any depth: width(3) repeats a quiet call (and an earlier call's arguments); the dense
    # calls repeat nothing. The import of lib was timed; unwrap put the interpreter back.
    assert profile._relative_seen and profile._quiet_seen
    assert set(profile.deep) == {
        calls.IMPORTS, calls.RELATIVE, calls.QUIET,
        calls.QUIET_HASHABLE,  # width(3): an int
        calls.QUIET_UNREAD,  # width(3) never asks the model anything
        calls.QUIET_STATE,  # nothing happened to the graph between the two width(3)
    }
    assert profile.model_reads > 0  # dense's get_variable did
    assert "world" not in vars(calls.Interpreter)
    assert originals == (calls.calls.Calls.call_function, calls.imports.Imports._project_module,
                         calls.ProjectIndex.module, calls.Skeleton.body)


def test_shape_only_fingerprint_ignores_the_variables_a_tensor_comes_from():
    a = calls.values.Tensor((2, 4), "float32", frozenset({"layer_0/w"}))
    b = calls.values.Tensor((2, 4), "float32", frozenset({"layer_1/w"}))
    c = calls.values.Tensor((2, 5), "float32", frozenset({"layer_0/w"}))
    assert calls.fingerprint([a]) != calls.fingerprint([b])
    assert calls.fingerprint([a], shape_only=True) == calls.fingerprint([b], shape_only=True)
    assert calls.fingerprint([a], shape_only=True) != calls.fingerprint([c], shape_only=True)


def test_hashable_arguments_are_values_not_objects():
    tensor = calls.values.Tensor((2, 4), "float32")
    assert calls.hashable([tensor, 3, "name", (1, None)], {"axis": -1})
    assert not calls.hashable([[tensor]], {})  # a list: a memo would have to walk it
    assert not calls.hashable([], {"hparams": calls.values.OpenObject(calls.values.UNKNOWN, {})})
