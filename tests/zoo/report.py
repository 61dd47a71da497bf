"""The zoo's results as a table, per model and in total, and as one summary line."""

from __future__ import annotations

from dataclasses import dataclass

from .run import ModelResult, ZooRun


@dataclass(frozen=True, slots=True)
class Totals:
    models: int
    failed: int  # builders that did not run under TF
    truth: int
    names: int
    full: int
    unknown_names: int
    wrong: int
    caught: int
    mistakes: int  # planted variants where TF raised a store error
    silent: int  # correct copies (builder, shared variant) with no finding that TF raises
    copies: int
    noisy: int  # findings on correct code, or raising findings where TF raised nothing


def planted_counts(model: ModelResult) -> tuple[int, int]:
    """(caught, planted mistakes TF raised on) of one model."""
    mistakes = [p for p in model.planted if p.is_mistake]
    return sum(1 for p in mistakes if p.caught), len(mistakes)


def totals(run: ZooRun) -> Totals:
    ok = [m for m in run.models if m.coverage is not None]
    counts = [planted_counts(m) for m in ok]
    shared = [p for m in ok for p in m.planted if p.kind == "shared"]
    return Totals(
        models=len(run.models),
        failed=len(run.models) - len(ok),
        truth=sum(m.coverage.truth for m in ok),
        names=sum(m.coverage.names for m in ok),
        full=sum(m.coverage.full for m in ok),
        unknown_names=sum(m.coverage.unknown_names for m in ok),
        wrong=sum(len(m.coverage.wrong) for m in ok),
        caught=sum(c for c, _ in counts),
        mistakes=sum(n for _, n in counts),
        silent=sum(1 for m in ok if not m.findings) + sum(1 for p in shared if not p.extra),
        copies=len(ok) + len(shared),
        noisy=sum(len(m.findings) + sum(len(p.extra) for p in m.planted) for m in ok),
    )


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "-"


def summary(run: ZooRun) -> str:
    t = totals(run)
    failed = f" ({t.failed} did not run under TF)" if t.failed else ""
    return (f"{t.models} models{failed}, {t.truth} variables in truth, "
            f"names {t.names}/{t.truth} ({_percent(t.names, t.truth)}), "
            f"name+shape+dtype {t.full}/{t.truth} ({_percent(t.full, t.truth)}), "
            f"wrong claims {t.wrong}, unknown names {t.unknown_names}, "
            f"planted {t.caught}/{t.mistakes}, correct copies silent {t.silent}/{t.copies}")


_MARK = {True: "caught", False: "missed"}


def _planted_cell(model: ModelResult) -> str:
    cells = []
    for p in model.planted:
        if p.is_mistake:
            cells.append(f"{p.kind}:{_MARK[p.caught]}")
        elif p.kind != "shared":
            cells.append(f"{p.kind}:n/a")  # TF raised no store error
        else:
            cells.append(f"shared:{'silent' if not p.extra else 'NOISY'}")
    return " ".join(cells)


def table(run: ZooRun, verbose: bool = False) -> str:
    header = ("model", "truth", "names", "full", "wrong", "unknown", "planted", "variants")
    rows = [header]
    notes = []
    for m in run.models:
        if m.coverage is None:
            rows.append((m.name, "-", "-", "-", "-", "-", "-", "does not run under TF"))
            notes.append(f"{m.name}: {m.tf_error}")
            continue
        c = m.coverage
        caught, mistakes = planted_counts(m)
        rows.append((m.name, str(c.truth), f"{c.names} ({_percent(c.names, c.truth)})",
                     f"{c.full} ({_percent(c.full, c.truth)})", str(len(c.wrong)),
                     str(c.unknown_names), f"{caught}/{mistakes}", _planted_cell(m)))
        notes += [f"{m.name}: wrong claim: {w}" for w in c.wrong]
        notes += [f"{m.name}: finding on the correct builder: {f}" for f in m.findings]
        for p in m.planted:
            notes += [f"{m.name} {p.kind}: finding where TF raised nothing: {f}" for f in p.extra]
            if verbose and p.is_mistake and not p.caught:
                code, line, variable = p.expected
                notes.append(f"{m.name} {p.kind}: missed {code} at line {line} ({variable})")
    t = totals(run)
    rows.append(("total", str(t.truth), f"{t.names} ({_percent(t.names, t.truth)})",
                 f"{t.full} ({_percent(t.full, t.truth)})", str(t.wrong), str(t.unknown_names),
                 f"{t.caught}/{t.mistakes}", f"copies silent {t.silent}/{t.copies}"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.insert(len(lines) - 1, lines[1])
    return "\n".join(lines + [""] + notes).rstrip() + "\n"
