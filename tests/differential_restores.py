"""Differential testing of restores: generated programs restore a checkpoint TF saved from a
variant of themselves, with restore calls that read the graph's collections.

Each case is a program of ``tests.differential`` (``generate``) and a tail that restores the
checkpoint named by ``RESTORE_CKPT`` (``TAILS``: a Saver over every variable, over the
trainable ones, over a list or a dict read from a collection, ``init_from_checkpoint`` with a
scope map or a map of variables, ``warm_start`` with a pattern); the checkpoint is saved by TF
from the program itself or from a variant of it (a shape, a scope name or a statement changed:
``VARIANTS``). Only programs scopelint expects TF to run are taken (most
generated programs stop at a store error by design: the plain differential checks those). TF
saves every variant and runs every program in one child process (``tests.tfrestore``);
scopelint checks each program with its checkpoint as ``scopelint checkpoint`` does. Per case:

- ``discard``: TF could not save the variant, or the program fails under TF before its restore
  or for another reason than the restore (a store error is the plain differential's business);
- ``wrong``: scopelint says the restore fails and TF restores, or it names keys TF does not fail
  on (for a Saver, TF's reader checks every key; elsewhere the key TF names must be among
  scopelint's);
- ``missed``: TF fails to restore and scopelint says nothing (it may not know the variables);
- ``agree``: otherwise.

    python -m tests.differential_restores --examples 300 [--seed N]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from scopelint.checkpoint import reader as ckpt
from scopelint.checkpoint import restore
from scopelint.rules import ERROR_CODES
from scopelint.types import FileResult

from .differential import SCOPE_NAMES, generate, lint
from .restore_truth import ERRORS, ROOT, tf_key

RESTORE_CODES = ERRORS - ERROR_CODES  # SL200, SL201, SL204
_INIT = "with tf.Session() as sess:\n    sess.run(tf.global_variables_initializer())\n"
_RESTORE = "with tf.Session() as sess:\n    saver.restore(sess, CKPT)\n"
TAILS = {
    "saver_all": "saver = tf.train.Saver()\n" + _RESTORE,
    "saver_trainable": "saver = tf.train.Saver(tf.trainable_variables())\n" + _RESTORE,
    "saver_list": (
        'saver = tf.train.Saver([v for v in tf.global_variables() if v.op.name.startswith("{s}")])\n'
        + _RESTORE
    ),
    "saver_dict": (
        "saver = tf.train.Saver({{v.op.name: v for v in "
        'tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, "{s}")}})\n' + _RESTORE
    ),
    "init_scope": 'tf.train.init_from_checkpoint(CKPT, {{"{s}/": "{s}/"}})\n' + _INIT,
    "init_variables": (
        "tf.train.init_from_checkpoint(CKPT, {{v.op.name: v for v in tf.trainable_variables()}})\n"
        + _INIT
    ),
    "warm_start": 'tf.train.warm_start(CKPT, "{s}")\n' + _INIT,
}
# A restore's failure in TF's words (anything else TF raises is not about the restore).
_RESTORE_WORDS = re.compile(
    r"not found in checkpoint|is not found in|Shape of variable|Assign requires shapes|"
    r"expected dtype|Assignment map with scope only|var_name_to_prev_var_name"
)


@dataclass
class Case:
    base: str  # the program TF saves the checkpoint from
    program: str  # the program that restores it
    tail_line: int  # the first line of the restore tail
    tail: str
    variant: str
    result: FileResult | None = None  # the program linted (with events)


@dataclass
class Outcome:
    case: Case
    status: str  # "agree" | "wrong" | "missed" | "discard"
    tf: str = ""  # "restores" or TF's error
    found: tuple = ()  # (code, key) scopelint reports

    def describe(self) -> str:
        numbered = "\n".join(f"{i:3d}  {line}" for i, line in enumerate(
            self.case.program.splitlines(), 1))
        return (f"[{self.status}: {self.case.tail}, checkpoint of the {self.case.variant}]\n"
                f"{numbered}\n  TF: {self.tf}\n  scopelint: {list(self.found)}")


def _variant(source: str, rng: random.Random) -> tuple[str, str]:
    """The program the checkpoint is saved from: the program itself, or with one change."""
    kind = rng.choice(["same", "shape", "shape", "scope", "line"])
    if kind == "shape":
        spots = [m for m in re.finditer(r"\[2, 3\]|\[3, 2\]|\[3\]|\[2\]", source)]
        if spots:
            m = rng.choice(spots)
            other = {"[2, 3]": "[3, 2]", "[3, 2]": "[2, 3]", "[3]": "[2]", "[2]": "[3]"}
            return source[:m.start()] + other[m.group()] + source[m.end():], "a shape changed"
    if kind == "scope":
        spots = [m for m in re.finditer(r'variable_scope\("(\w+)"', source)]
        if spots:
            m = rng.choice(spots)
            return (source[:m.start(1)] + m.group(1) + "_old" + source[m.end(1):],
                    "a scope renamed")
    if kind == "line":
        lines = source.splitlines(keepends=True)
        body = [i for i, line in enumerate(lines)
                if line.startswith("tf.get_variable(") or line.startswith("tf.layers.")]
        if body:
            del lines[rng.choice(body)]
            return "".join(lines), "a statement removed"
    return source, "program itself"


def cases(n: int, seed: int = 0) -> list[Case]:
    """``n`` cases from the generated programs scopelint expects TF to run (most generated
    programs stop at a store error, by design: the plain differential checks those)."""
    out: list[Case] = []
    seen: set = set()
    k = 0
    while len(out) < n:
        batch = generate(2 * n, seed=seed + 104_729 * k, seen=seen)
        k += 1
        if not batch:
            break
        for program in batch:
            if len(out) == n:
                break
            case = _case(program.source(), random.Random(seed * 7919 + len(out)))
            case.result = lint(case.program)
            if not any(d.code in ERROR_CODES for d in case.result.diagnostics):
                out.append(case)
    return out


def _case(source: str, rng: random.Random) -> Case:
    base, variant = _variant(source, rng)
    tail = rng.choice(sorted(TAILS))
    # Usually a scope the program opens, so that the restore's lists are seldom empty.
    used = sorted(set(re.findall(r'variable_scope\("([\w/]+)"', source)))
    text = TAILS[tail].format(s=rng.choice(used if used and rng.random() < 0.8 else SCOPE_NAMES))
    head = 'import os\nCKPT = os.environ["RESTORE_CKPT"]\n'
    return Case(base, source + head + text, source.count("\n") + 1, tail, variant)


def run_tf(items: list[Case], root: Path) -> tuple[list[dict], list[Path], list[str]]:
    """Every base saved and every program run under TF, in one child process."""
    paths, prefixes = [], []
    spec: dict = {"save": [], "run": []}
    for k, case in enumerate(items):
        base, program = root / f"base_{k:04d}.py", root / f"prog_{k:04d}.py"
        base.write_text(case.base)
        program.write_text(case.program)
        prefix = str(root / f"ckpt_{k:04d}" / "model.ckpt")
        spec["save"].append({"program": str(base), "prefix": prefix, "tolerant": True})
        spec["run"].append({"program": str(program), "prefix": prefix, "if_saved": True})
        paths.append(program)
        prefixes.append(prefix)
    (root / "spec.json").write_text(json.dumps(spec))
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", TF_USE_LEGACY_KERAS="1")
    proc = subprocess.run(
        [sys.executable, "-m", "tests.tfrestore", str(root / "spec.json")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=3600, check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-3000:])
    return json.loads(proc.stdout)["runs"], paths, prefixes


def compare(case: Case, run: dict, path: Path, prefix: str) -> Outcome:
    if run.get("skipped"):
        return Outcome(case, "discard", "the checkpoint's program does not run")
    error, message = run["error"], run["message"] or ""
    if error is not None and (
        run["line"] is None or run["line"] < case.tail_line or not _RESTORE_WORDS.search(message)
    ):
        return Outcome(case, "discard", f"{error}: {message[:200]}")
    # As `scopelint checkpoint` reports (the programs read no checkpoint themselves).
    result = case.result if case.result is not None else lint(case.program)
    found = list(result.diagnostics) + list(restore.compare(result, ckpt.load(prefix)).diagnostics)
    errors = [d for d in found if d.code in RESTORE_CODES]
    keys = {d.subject for d in errors}
    shown = tuple(sorted((d.code, d.subject or "") for d in errors))
    if error is None:
        return Outcome(case, "wrong" if errors else "agree", "restores", shown)
    said = f"{error}: {message[:300]}"
    if not errors:
        return Outcome(case, "missed", said, shown)
    if run["saver"]:
        failing = {k for restore in run["saver"] for k, _ in restore}
        if keys - failing:
            return Outcome(case, "wrong", said, shown)
        return Outcome(case, "agree" if keys == failing else "missed", said, shown)
    key = tf_key(message)
    return Outcome(case, "agree" if key is None or key in keys else "wrong", said, shown)


def check(items: list[Case]) -> list[Outcome]:
    with tempfile.TemporaryDirectory(prefix="scopelint-restores-") as tmp:
        runs, paths, prefixes = run_tf(items, Path(tmp))
        return [compare(c, r, p, x) for c, r, p, x in zip(items, runs, paths, prefixes)]


def summary(outcomes: list[Outcome]) -> str:
    status = Counter(o.status for o in outcomes)
    fails = sum(1 for o in outcomes if o.status != "discard" and o.tf != "restores")
    return (f"restore differential: {len(outcomes)} programs, {status['agree']} agree, "
            f"{status['wrong']} wrong, {status['missed']} missed, {status['discard']} discarded; "
            f"TF fails to restore in {fails} of those compared")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.differential_restores")
    parser.add_argument("--examples", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--show", type=int, default=5, help="wrong and missed cases printed")
    args = parser.parse_args(argv)
    outcomes = check(cases(args.examples, args.seed))
    for status in ("wrong", "missed"):
        for outcome in [o for o in outcomes if o.status == status][: args.show]:
            print(outcome.describe(), end="\n\n")
    print(summary(outcomes))
    return 1 if any(o.status == "wrong" for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
