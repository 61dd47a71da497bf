"""Download the pinned model packages and unpack them into one directory.

    python -m tests.zoo.fetch      # prints the directory

``site_dir()`` runs ``pip download --no-deps`` for every pin of ``packages.requirements()`` into a
cache directory (``SCOPELINT_ZOO_CACHE``, default ``~/.cache/scopelint-zoo/<pins hash>``) and
unpacks the packages into ``<cache>/site``: a wheel's top-level directories, an sdist's
installed top-level packages (their ``.py`` files). Nothing is installed
and no dependency is pulled in: the directory goes on ``sys.path`` / ``PYTHONPATH`` beside the
installed TensorFlow. A marker file says the directory is complete; later calls return at once.
Concurrent callers are serialised by a lock file.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from .packages import requirements

_MARKER = ".complete"


def pins_key() -> str:
    """A short hash of the pins: a changed pin gets a new cache directory."""
    text = json.dumps(requirements())
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def cache_dir() -> Path:
    configured = os.environ.get("SCOPELINT_ZOO_CACHE")
    if configured:
        return Path(configured).expanduser()
    return Path.home() / ".cache" / "scopelint-zoo" / pins_key()


def site_dir() -> Path:
    """The directory holding every pinned package's Python sources, fetched if need be."""
    cache = cache_dir()
    site = cache / "site"
    if (site / _MARKER).exists():
        return site
    cache.mkdir(parents=True, exist_ok=True)
    with open(cache / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another process may be fetching the same pins
        if not (site / _MARKER).exists():
            _build(cache, site)
    return site


def _build(cache: Path, site: Path) -> None:
    downloads = cache / "downloads"
    downloads.mkdir(exist_ok=True)
    # pip skips a file already in the directory, so an interrupted fetch resumes.
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check",
         "--quiet", "--dest", str(downloads), *requirements()],
        check=True,
    )
    staging = Path(tempfile.mkdtemp(prefix="site.", dir=cache))
    for archive in sorted(downloads.iterdir()):
        if archive.name.endswith(".whl"):
            _unpack_wheel(archive, staging)
        elif archive.name.endswith((".tar.gz", ".tgz")):
            _unpack_sdist(archive, staging)
    (staging / _MARKER).write_text(json.dumps(requirements()) + "\n")
    if site.exists():
        shutil.rmtree(site)  # an incomplete one from an earlier interrupted run
    staging.rename(site)


def _unpack_wheel(archive: Path, dest: Path) -> None:
    with zipfile.ZipFile(archive) as wheel:
        for name in wheel.namelist():
            top = PurePosixPath(name).parts[0]
            # All of it: a dependency may be a platform wheel for this interpreter.
            if not name.endswith("/") and not top.endswith((".dist-info", ".data")):
                _write(dest, PurePosixPath(name), wheel.read(name))


def _unpack_sdist(archive: Path, dest: Path) -> None:
    with tarfile.open(archive) as sdist:
        members = [m for m in sdist.getmembers() if m.isfile()]
        packages = _sdist_packages(sdist, members)
        for member in members:
            parts = PurePosixPath(member.name).parts
            if len(parts) > 2 and parts[1] in packages and member.name.endswith(".py"):
                _write(dest, PurePosixPath(*parts[1:]), sdist.extractfile(member).read())


def _sdist_packages(sdist: tarfile.TarFile, members: list[tarfile.TarInfo]) -> set[str]:
    """The sdist's installed top-level packages: its egg-info's ``top_level.txt`` (an sdist may
    ship a ``tests`` package that is not installed, and would shadow ours), else each
    ``<project>-<version>/<package>/__init__.py``."""
    for member in members:
        parts = PurePosixPath(member.name).parts
        if len(parts) == 3 and parts[1].endswith(".egg-info") and parts[2] == "top_level.txt":
            return set(sdist.extractfile(member).read().decode().split())
    return {
        PurePosixPath(m.name).parts[1]
        for m in members
        if len(PurePosixPath(m.name).parts) == 3 and PurePosixPath(m.name).name == "__init__.py"
    }


def _write(dest: Path, relative: PurePosixPath, data: bytes) -> None:
    if relative.is_absolute() or ".." in relative.parts:
        return  # never outside the site directory
    target = dest.joinpath(*relative.parts)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


if __name__ == "__main__":
    print(site_dir())
