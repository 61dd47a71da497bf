"""The one thread that runs analyses, most urgent first.

The document being edited comes before the documents that import it, and those before the
predictions a hover may want: an edit is never queued behind work the editor is not waiting
for. A job whose future was cancelled before it started (its document changed again) is skipped.
"""

from __future__ import annotations

import asyncio
import itertools
import queue
import threading
from typing import Any, Callable

EDITED, DEPENDENT, IDLE = 0, 1, 2  # priorities: lower runs first


class Worker:
    def __init__(self) -> None:
        self._jobs: queue.PriorityQueue = queue.PriorityQueue()
        self._order = itertools.count()  # first come, first served within a priority
        self._thread = threading.Thread(target=self._loop, name="scopelint", daemon=True)
        self._thread.start()

    def submit(
        self, priority: int, fn: Callable[..., Any], *args: Any, **kwargs: Any
    ) -> asyncio.Future:
        """Run ``fn(*args, **kwargs)`` on the worker; the future is the event loop's."""
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self._jobs.put((priority, next(self._order), loop, future, fn, args, kwargs))
        return future

    def _loop(self) -> None:
        while True:
            _, _, loop, future, fn, args, kwargs = self._jobs.get()
            if future.cancelled():  # read across threads: at worst the job runs for nothing
                continue
            try:
                result = fn(*args, **kwargs)
            except BaseException as error:  # handed to the awaiting coroutine, which reports it
                loop.call_soon_threadsafe(_settle, future, None, error)
            else:
                loop.call_soon_threadsafe(_settle, future, result, None)


def _settle(future: asyncio.Future, result: Any, error: BaseException | None) -> None:
    if future.cancelled():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)
