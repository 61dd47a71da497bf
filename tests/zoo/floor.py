"""The checked-in floor: per model, the coverage and caught planted mistakes a run may not fall
below. ``python -m tests.zoo --write-floor`` raises it to the current run's."""

from __future__ import annotations

import json
from pathlib import Path

from .report import planted_counts
from .run import ZooRun

FLOOR = Path(__file__).resolve().parent / "floor.json"


def measured(run: ZooRun) -> dict[str, dict[str, int]]:
    out = {}
    for m in run.models:
        if m.coverage is not None:
            out[m.name] = {"names": m.coverage.names, "full": m.coverage.full,
                           "planted": planted_counts(m)[0]}
    return out


def load() -> dict[str, dict[str, int]]:
    return json.loads(FLOOR.read_text()) if FLOOR.exists() else {}


def write(run: ZooRun) -> None:
    """Record the run's figures, never below the recorded ones: a regression is not accepted by
    rewriting the floor (lowering an entry is a deliberate edit of the file). Models without a
    builder any more are dropped."""
    old = load()
    new = {
        model: {key: max(value, old.get(model, {}).get(key, 0)) for key, value in now.items()}
        for model, now in measured(run).items()
    }
    names = {m.name for m in run.models}
    new.update({model: old[model] for model in old.keys() & names - new.keys()})
    FLOOR.write_text(json.dumps(new, indent=2, sort_keys=True) + "\n")


def shortfalls(run: ZooRun, floor: dict[str, dict[str, int]]) -> list[str]:
    """Where the run is below the floor (a model of the floor that did not run counts too)."""
    now = measured(run)
    out = []
    for model, minimum in sorted(floor.items()):
        if model not in now:
            out.append(f"{model}: in the floor, but not measured (removed, or failed under TF)")
            continue
        out += [f"{model}: {key} {now[model].get(key, 0)} < floor {value}"
                for key, value in sorted(minimum.items()) if now[model].get(key, 0) < value]
    return out
