"""Planted mistakes: each builder with code appended that builds its model again.

- ``twice``: ``build()`` a second time without reuse (TF: "already exists", SL001);
- ``reuse_first``: in a fresh graph, ``build()`` under ``reuse=True`` before anything exists
  (TF: "does not exist", SL002);
- ``shared``: ``build()`` again under ``reuse=True``, a correct second copy (TF runs it;
  scopelint must say nothing).

TF decides: a model made with ``tf.Variable`` or Keras layers raises in neither, and then
nothing is expected. The variants are written outside the repository.
"""

from __future__ import annotations

from pathlib import Path

VARIANTS: dict[str, str] = {
    "twice": "build()\n",
    "reuse_first": (
        "with tf.Graph().as_default():\n"
        "    with tf.variable_scope(tf.get_variable_scope(), reuse=True):\n"
        "        build()\n"
    ),
    "shared": (
        "with tf.variable_scope(tf.get_variable_scope(), reuse=True):\n"
        "    build()\n"
    ),
}


def write_variants(builder: Path, dest: Path) -> dict[str, Path]:
    """The builder's variants, as files ``<dest>/<model>__<kind>.py``, by kind."""
    text = builder.read_text()
    if not text.endswith("\n"):
        text += "\n"
    out = {}
    for kind, code in VARIANTS.items():
        path = dest / f"{builder.stem}__{kind}.py"
        path.write_text(f"{text}\n# planted: {kind}\n{code}")
        out[kind] = path
    return out
