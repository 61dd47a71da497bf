"""The rules of `scopelint checkpoint CKPT PATH...`: what `tf.train.Saver().restore` will do.

They need a checkpoint, so a plain `scopelint PATH` never reports them; `restore.py` makes the
findings from the simulation's variables and the checkpoint's index.
"""

from __future__ import annotations

from ..types import RuleInfo, Severity

MISSING_KEY = RuleInfo(
    code="SL200",
    name="checkpoint-missing-key",
    severity=Severity.ERROR,
    summary="The program creates a variable the checkpoint does not have: restore fails with "
    "`Key ... not found in checkpoint`.",
    doc=(
        "## What it does\n"
        "With `scopelint checkpoint CKPT PATH...`: finds each variable the program creates "
        "(run as a script) whose name, the key `tf.train.Saver().restore` looks up, is not in "
        "the checkpoint. When a checkpoint key differs from it only by a leading scope, a "
        "`_N` suffix or one path component, that key is named with the likely cause: a "
        "`variable_scope` added or removed, a layer or scope renamed, default-name numbering "
        "(`dense_2` became `dense_3` because another layer was built first), or a model built "
        "under another top scope.\n\n"
        "Only variables whose full name and shape scopelint predicts are compared.\n\n"
        "## Why is this bad?\n"
        "`saver.restore(sess, path)` raises `NotFoundError: Restoring from checkpoint failed. "
        "This is most likely due to a Variable name or other graph key that is missing from the "
        "checkpoint ... Key model/dense_3/kernel not found in checkpoint`, after the data was "
        "loaded and the graph built, often only in production.\n\n"
        "## Example\n"
        "The checkpoint was saved by a program that built the layer inside "
        "`tf.variable_scope(\"model\")`:\n"
        "```python\n"
        "logits = tf.layers.dense(x, 10)  # restore looks up `dense/kernel`\n"
        "saver.restore(sess, \"ckpt/model\")\n"
        "```\n\n"
        "Use instead:\n"
        "```python\n"
        "with tf.variable_scope(\"model\"):\n"
        "    logits = tf.layers.dense(x, 10)  # `model/dense/kernel`, as saved\n"
        "saver.restore(sess, \"ckpt/model\")\n"
        "```"
    ),
)

SHAPE_MISMATCH = RuleInfo(
    code="SL201",
    name="checkpoint-shape-mismatch",
    severity=Severity.ERROR,
    summary="A variable's shape or dtype differs from the checkpoint's tensor of the same name.",
    doc=(
        "## What it does\n"
        "With `scopelint checkpoint CKPT PATH...`: finds each variable whose name is in the "
        "checkpoint but whose shape (or dtype) is not the one saved there, e.g. after a layer's "
        "width or an embedding's vocabulary size changed. For `init_from_checkpoint` and "
        "warm starts, also what fails only when the initialisers run: another dtype, and "
        "another shape for a variable a `'scope/'` entry maps.\n\n"
        "## Why is this bad?\n"
        "With TF1 variables `saver.restore` raises `InvalidArgumentError: ... Assign requires "
        "shapes of both tensors to match. lhs shape= [8,32] rhs shape= [8,16]` (a dtype "
        "mismatch fails as well). Resource variables (TF 2's default, even in graph mode) may "
        "not raise at restore, but the weights restored are not the ones the program expects "
        "either way.\n\n"
        "## Example\n"
        "The checkpoint holds `dense/kernel` of shape (8, 16):\n"
        "```python\n"
        "h = tf.layers.dense(x, 32)  # (8, 32)\n"
        "```\n\n"
        "Use instead:\n"
        "```python\n"
        "h = tf.layers.dense(x, 16)  # the width the checkpoint was trained with\n"
        "```"
    ),
)

UNUSED_ENTRIES = RuleInfo(
    code="SL202",
    name="checkpoint-unused-entries",
    severity=Severity.WARNING,
    summary="Checkpoint entries that no variable of the program restores (one line per graph).",
    doc=(
        "## What it does\n"
        "With `scopelint checkpoint CKPT PATH...`: one line per graph counting the checkpoint "
        "entries that no variable of the program restores, when there are some besides "
        "optimizer state. Optimizer slots (`.../Adam`, `.../Momentum`), `beta1_power` and "
        "`global_step` of a training checkpoint are expected when restoring for inference: "
        "they are counted in the line, never reported alone. It is only reported for a graph "
        "whose every variable scopelint predicts and in which no code it cannot see ran; "
        "otherwise the command says on stderr how many variables it could not predict.\n\n"
        "## Why is this bad?\n"
        "`saver.restore` does not complain about them, but weights saved and then never "
        "restored usually mean the variables that should have received them got other names "
        "(reported as SL200) and start from their initializers.\n\n"
        "## Example\n"
        "The checkpoint holds `encoder/w` and `decoder/w`; the program builds only:\n"
        "```python\n"
        "with tf.variable_scope(\"decoder\"):\n"
        "    w = tf.get_variable(\"w\", [4])\n"
        "```\n\n"
        "Use instead:\n"
        "```python\n"
        "saver = tf.train.Saver({\"decoder/w\": w})  # restore only what is meant, explicitly\n"
        "```"
    ),
)

SILENT_RESTORE = RuleInfo(
    code="SL203",
    name="silent-partial-restore",
    severity=Severity.WARNING,
    summary="A restore TF runs without complaint restores nothing, or skips variables the "
    "checkpoint holds under another name.",
    doc=(
        "## What it does\n"
        "With `scopelint checkpoint CKPT PATH...`: finds restores that TF does not report "
        "because they are told to be lenient, and that end up restoring nothing or only part "
        "of the model:\n\n"
        "- TF-Slim's `assign_from_checkpoint_fn(..., ignore_missing_vars=True)` when none of "
        "its keys is in the checkpoint, or when a skipped variable is in the checkpoint under "
        "another scope;\n"
        "- `tf.train.init_from_checkpoint` with an assignment map (often built by intersecting "
        "the model's names with the checkpoint's) that is empty, whose `'scope/': 'scope/'` "
        "entry matches no variable, or that leaves out a variable the checkpoint holds under "
        "another scope with the same shape;\n"
        "- `tf.train.warm_start` (or an Estimator's `warm_start_from`) whose "
        "`vars_to_warm_start` matches no variable, or is `None` (TF then warm-starts only "
        "variables given vocabularies).\n\n"
        "## Why is this bad?\n"
        "Training then starts from random weights where pre-trained ones were meant, and "
        "nothing says so: the loss is only worse.\n\n"
        "## Example\n"
        "The checkpoint holds `resnet_v1_50/conv1/weights`; the model is built under `net`:\n"
        "```python\n"
        "with tf.variable_scope(\"net\"):\n"
        "    logits = resnet_v1_50(images)\n"
        "init_fn = slim.assign_from_checkpoint_fn(ckpt, slim.get_model_variables(),\n"
        "                                         ignore_missing_vars=True)\n"
        "```\n\n"
        "Use instead:\n"
        "```python\n"
        "variables = {v.op.name[len(\"net/\"):]: v for v in slim.get_model_variables(\"net\")}\n"
        "init_fn = slim.assign_from_checkpoint_fn(ckpt, variables)\n"
        "```"
    ),
)

RESTORE_CALL_ERROR = RuleInfo(
    code="SL204",
    name="restore-call-error",
    severity=Severity.ERROR,
    summary="A restore call TF rejects whatever the checkpoint holds (an assignment map entry "
    "naming no variable of the store, an unused `var_name_to_prev_var_name` entry).",
    doc=(
        "## What it does\n"
        "With `scopelint checkpoint CKPT PATH...`: finds restore calls TF refuses before it "
        "reads a tensor: `tf.train.init_from_checkpoint` given a variable name that is not in "
        "the variable store (a `tf.Variable` or a Keras weight, a typo), which TF takes for a "
        "scope and rejects with `Assignment map with scope only name ... should map to scope "
        "only ...`; `tf.train.warm_start` given renames for variables it does not warm-start.\n\n"
        "## Why is this bad?\n"
        "TF raises `ValueError` when the restore runs.\n\n"
        "## Example\n"
        "```python\n"
        "step = tf.Variable(0, name=\"step\")\n"
        "tf.train.init_from_checkpoint(ckpt, {\"step\": \"step\"})\n"
        "```\n\n"
        "Use instead:\n"
        "```python\n"
        "tf.train.init_from_checkpoint(ckpt, {\"step\": step})  # the variable itself\n"
        "```"
    ),
)

UNREADABLE_CHECKPOINT = RuleInfo(
    code="SL901",
    name="unreadable-checkpoint",
    severity=Severity.ERROR,
    summary="The checkpoint could not be read, so no restore was checked.",
    doc=(
        "## What it does\n"
        "Reports a checkpoint `scopelint checkpoint` cannot read: no `PREFIX.index`, a "
        "directory whose `checkpoint` file names no prefix, a V1 checkpoint, a compressed "
        "index, or a truncated or damaged index file. The command then exits with 2.\n\n"
        "## Why is this bad?\n"
        "Nothing was checked. TensorFlow would refuse most of these checkpoints too.\n\n"
        "## Example\n"
        "```console\n"
        "$ scopelint checkpoint ckpt/model.ckpt-1000.meta train.py\n"
        "```\n\n"
        "Use instead:\n"
        "```console\n"
        "$ scopelint checkpoint ckpt/model.ckpt-1000 train.py  # the prefix, or the directory\n"
        "```"
    ),
)

CHECKPOINT_RULES = (
    MISSING_KEY, SHAPE_MISMATCH, UNUSED_ENTRIES, SILENT_RESTORE, RESTORE_CALL_ERROR,
    UNREADABLE_CHECKPOINT,
)
