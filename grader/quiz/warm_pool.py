"""Worker processes the quiz server starts with itself, warm before the first request.

The quiz server keeps two such pools: one grades submitted exams
(:mod:`grader.quiz.grading_service`), one draws the first paint of exam pages
(:mod:`grader.quiz.first_paint`). Each worker imports what it needs once, when the server
starts, so no request pays for imports; a worker that dies (and takes its pool with it)
is replaced and the request tried once more.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from typing import Any


def ready_line(name: str) -> str:
    """In the server's log once the pool's workers are all started and warm."""
    return f"grader quiz: {name} ready"


class WarmPool:
    """``workers`` processes (default: one per core), each started with ``initializer``."""

    def __init__(
        self,
        name: str,
        initializer: Callable[..., None],
        initargs: tuple[Any, ...],
        workers: int | None = None,
    ) -> None:
        self.name, self.initializer, self.initargs = name, initializer, initargs
        self.workers = workers or os.cpu_count() or 1
        self.said_ready = False
        self.executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        executor = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=get_context("spawn"),
            initializer=self.initializer,
            initargs=self.initargs,
        )
        started = [executor.submit(os.getpid) for _ in range(self.workers)]  # now, not later
        for future in started:
            future.add_done_callback(lambda _: self._say_when_ready(started))
        return executor

    def _say_when_ready(self, started: list[Future[int]]) -> None:
        if all(future.done() for future in started) and not self.said_ready:
            self.said_ready = True
            print(ready_line(self.name), file=sys.stderr, flush=True)

    async def run(self, function: Callable[..., Any], *arguments: Any) -> Any:
        """``function(*arguments)`` in a worker; once more in a new pool if it broke."""
        executor = self.executor
        try:
            return await asyncio.wrap_future(executor.submit(function, *arguments))
        except BrokenProcessPool:
            if self.executor is executor:  # the first to see it break starts the new pool
                self.executor = self._start()
                executor.shutdown(wait=False, cancel_futures=True)
            return await asyncio.wrap_future(self.executor.submit(function, *arguments))
