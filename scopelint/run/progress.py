"""The progress line: `scopelint: checking N files… 3s` on stderr while a long run works.

Only for a person watching: stderr must be a terminal and the run not in CI (the `CI` variable
that GitHub Actions, GitLab CI and most others set), so CI logs and pipes never get it. It
appears only after a delay, so short runs print nothing, and it is erased at the end, so the
report that follows starts on a clean line.
"""

from __future__ import annotations

import os
import threading
import time
from typing import TextIO

DELAY = 1.0  # seconds before the line appears
INTERVAL = 0.25  # seconds between updates
_ERASE = "\r\x1b[K"  # back to the start of the line, clear it


def progress_wanted(stream: TextIO) -> bool:
    if os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


class Progress:
    """A context manager; a thread redraws the line, so the run itself is never slowed."""

    def __init__(
        self, total: int, stream: TextIO, *, enabled: bool, delay: float | None = None
    ) -> None:
        self.total = total
        self.stream = stream
        self.enabled = enabled and total > 0
        self.delay = DELAY if delay is None else delay
        self.shown = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Progress:
        if self.enabled:
            self._start = time.monotonic()
            self._thread = threading.Thread(target=self._run, name="scopelint-progress")
            self._thread.daemon = True  # never keeps the process alive
            self._thread.start()
        return self

    def _run(self) -> None:
        if self._stop.wait(self.delay):
            return
        files = f"{self.total} file{'s' if self.total != 1 else ''}"
        while True:
            elapsed = int(time.monotonic() - self._start)
            self.stream.write(f"{_ERASE}scopelint: checking {files}... {elapsed}s")
            self.stream.flush()
            self.shown = True
            if self._stop.wait(INTERVAL):
                return

    def __exit__(self, *exc_info: object) -> None:
        if self._thread is not None:
            self._stop.set()
            self._thread.join()
            if self.shown:
                self.stream.write(_ERASE)
                self.stream.flush()
