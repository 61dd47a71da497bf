"""One run of the zoo: every builder (and its planted variants) under TF, then scopelint on
the same files, compared model by model."""

from __future__ import annotations

import fnmatch
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import compare, predict, truth
from .fetch import site_dir
from .planted import write_variants

MODELS = Path(__file__).resolve().parent / "models"


@dataclass(frozen=True, slots=True)
class ModelResult:
    name: str
    tf_error: str | None  # the builder itself failed under TF: nothing else is measured
    coverage: compare.Coverage | None
    findings: tuple[str, ...]  # scopelint's findings on the correct builder (must be none)
    planted: tuple[compare.Planted, ...]
    # What the figures were computed from: TF's report and scopelint's predicted events.
    report: dict | None = field(default=None, repr=False)
    predicted: tuple[dict, ...] = field(default=(), repr=False)


@dataclass(frozen=True, slots=True)
class ZooRun:
    models: tuple[ModelResult, ...]
    seconds: dict[str, float]  # "truth", "scopelint"


def builders(pattern: str | None = None) -> list[Path]:
    """The builder files, those whose model name matches ``pattern`` (a glob, or a substring)."""
    paths = sorted(p for p in MODELS.glob("*.py") if not p.name.startswith("_"))
    if pattern:
        glob = pattern if any(c in pattern for c in "*?[") else f"*{pattern}*"
        paths = [p for p in paths if fnmatch.fnmatch(p.stem, glob)]
    return paths


def run(pattern: str | None = None) -> ZooRun:
    site = site_dir()
    paths = builders(pattern)
    with tempfile.TemporaryDirectory(prefix="scopelint-zoo-") as tmp:
        variants = {p: write_variants(p, Path(tmp).resolve()) for p in paths}
        everything = paths + [v for vs in variants.values() for v in vs.values()]
        started = time.perf_counter()
        reports = truth.run(everything, site)
        truth_done = time.perf_counter()
        predicted = predict.variables(paths, site)
        found = predict.findings(everything, site)
        done = time.perf_counter()
    models = []
    for path in paths:
        report = reports[str(path)]
        error = report["error"]
        if error is not None:
            models.append(ModelResult(path.stem, f"{error['type']} at line {error['line']}: "
                                      f"{error['message']}", None, (), ()))
            continue
        models.append(ModelResult(
            name=path.stem,
            tf_error=None,
            coverage=compare.coverage(report, predicted[str(path)]),
            findings=tuple(compare.describe(f) for f in found[str(path)]),
            planted=tuple(compare.planted(kind, reports[str(v)], found[str(v)])
                          for kind, v in variants[path].items()),
            report=report,
            predicted=tuple(predicted[str(path)]),
        ))
    return ZooRun(tuple(models), {"truth": truth_done - started, "scopelint": done - truth_done})
