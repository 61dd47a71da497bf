"""python -m tests.zoo [--models PATTERN] [--verbose] [--write-floor]

Builds every zoo model under TF and lints it with scopelint; prints the per-model table and the
totals. --write-floor records the run as the floor the tests hold later runs to (all models
only)."""

from __future__ import annotations

import argparse
import sys

from . import floor, report
from .run import run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.zoo", description=__doc__.split("\n")[2])
    parser.add_argument("--models", metavar="PATTERN",
                        help="only the models whose name matches (a glob, or a substring)")
    parser.add_argument("--verbose", action="store_true",
                        help="also list the planted mistakes scopelint missed")
    parser.add_argument("--write-floor", action="store_true",
                        help=f"write the run's figures to {floor.FLOOR.name}")
    args = parser.parse_args(argv)
    if args.write_floor and args.models:
        parser.error("--write-floor records every model: no --models")
    result = run(args.models)
    print(report.table(result, verbose=args.verbose))
    print(f"zoo: {report.summary(result)}")
    print(f"(TF {result.seconds['truth']:.1f} s, scopelint {result.seconds['scopelint']:.1f} s)")
    below = floor.shortfalls(result, {k: v for k, v in floor.load().items()
                                      if k in {m.name for m in result.models}})
    for line in below:
        print(f"below the floor: {line}")
    if args.write_floor:
        floor.write(result)
        print(f"wrote {floor.FLOOR}")
    return 1 if below and not args.write_floor else 0


if __name__ == "__main__":
    sys.exit(main())
