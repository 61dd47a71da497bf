"""Clone the repositories of `benchmarks/real_repos.txt` for the real-code benchmark.

    python benchmarks/fetch_real.py DIR [--list FILE] [--skip-existing]

Each repository goes to DIR/<owner>+<name>, checked out at its pinned commit with plain
`git clone` and `git checkout` (what a user would run). DIR must be outside this checkout: the
clones are third-party code and are never committed. With `--skip-existing`, a directory that is
already there is accepted as it is (if it is a git checkout, it must be at the pinned commit), so
that a DIR prepared some other way (an export of the same commits, say) can be used.

Exit codes: 0 every repository is in place, 2 something could not be fetched or checked.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

LIST = Path(__file__).resolve().parent / "real_repos.txt"
RULES = ("imports-tensorflow",)  # and glob:PATTERN


@dataclass(frozen=True)
class Repo:
    name: str  # owner/name
    commit: str  # 40 hex digits
    subdir: str  # "." for the whole checkout
    rule: str  # "imports-tensorflow" or "glob:PATTERN"

    @property
    def dirname(self) -> str:
        return self.name.replace("/", "+")


class ListError(ValueError):
    pass


def read_list(path: Path = LIST) -> list[Repo]:
    """The repositories of the list file; a malformed line is a :class:`ListError`."""
    repos = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        fields = line.split("#", 1)[0].split()
        if not fields:
            continue
        where = f"{path.name}:{number}"
        if len(fields) != 4:
            raise ListError(f"{where}: expected owner/name, commit, subdir, rule; got {line!r}")
        name, commit, subdir, rule = fields
        if not re.fullmatch(r"[\w.-]+/[\w.-]+", name):
            raise ListError(f"{where}: not an owner/name: {name!r}")
        if not re.fullmatch(r"[0-9a-f]{40}", commit):
            raise ListError(f"{where}: not a full commit hash: {commit!r}")
        if Path(subdir).is_absolute() or ".." in Path(subdir).parts:
            raise ListError(f"{where}: the subdirectory must be inside the checkout: {subdir!r}")
        if rule not in RULES and not (rule.startswith("glob:") and len(rule) > 5):
            raise ListError(f"{where}: unknown tf-heavy rule {rule!r}")
        repos.append(Repo(name, commit, subdir, rule))
    return repos


def _git(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], capture_output=True, text=True, check=False)


def fetch(repo: Repo, dest: Path, skip_existing: bool) -> str | None:
    """Clone ``repo`` into ``dest`` at its commit; returns an error message, or None."""
    if dest.exists():
        if not skip_existing:
            return f"{dest} exists (use --skip-existing to accept it)"
        if not any(dest.iterdir()):
            return f"{dest} is empty"
        if (dest / ".git").exists():
            head = _git("-C", str(dest), "rev-parse", "HEAD")
            if head.returncode != 0 or head.stdout.strip() != repo.commit:
                found = head.stdout.strip() or head.stderr.strip()
                return f"{dest} is not at {repo.commit} ({found})"
        return None
    clone = _git("clone", "-q", f"https://github.com/{repo.name}", str(dest))
    if clone.returncode != 0:
        return f"git clone {repo.name} failed: {clone.stderr.strip()}"
    checkout = _git("-C", str(dest), "checkout", "-q", repo.commit)
    if checkout.returncode != 0:
        return f"git checkout {repo.commit} in {dest} failed: {checkout.stderr.strip()}"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="fetch_real.py", description=__doc__.split("\n")[0])
    parser.add_argument("dir", type=Path, help="where the clones go (outside this checkout)")
    parser.add_argument("--list", type=Path, default=LIST, help="the repository list")
    parser.add_argument(
        "--skip-existing", action="store_true", help="accept directories that are already there"
    )
    args = parser.parse_args(argv)
    try:
        repos = read_list(args.list)
    except (OSError, ListError) as error:
        print(f"fetch_real.py: {error}", file=sys.stderr)
        return 2
    checkout = LIST.parent.parent.resolve()
    target = args.dir.resolve()
    if target == checkout or checkout in target.parents:
        print("fetch_real.py: DIR must be outside this checkout", file=sys.stderr)
        return 2
    target.mkdir(parents=True, exist_ok=True)
    failed = 0
    for repo in repos:
        error = fetch(repo, target / repo.dirname, args.skip_existing)
        if error:
            failed += 1
            print(f"fetch_real.py: {error}", file=sys.stderr)
        else:
            print(f"{repo.name} {repo.commit[:12]} -> {target / repo.dirname}")
    return 2 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
