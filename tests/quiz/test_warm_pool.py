"""The quiz server's warm worker pools: a pool that breaks is started again once."""

from __future__ import annotations

import asyncio
import os

import pytest

from grader.quiz.warm_pool import WarmPool


def nothing() -> None:
    """A worker that needs no warming up."""


def die(pid_file: str) -> None:
    """Kill the worker running this (the pool breaks), the first time only."""
    if not os.path.exists(pid_file):
        open(pid_file, "w").close()
        os._exit(1)


def test_a_broken_pool_is_started_again_once_and_the_calls_go_on(
    tmp_path: pytest.TempPathFactory,
) -> None:
    pool = WarmPool("test workers", nothing, (), workers=2)
    starts = []
    start = pool._start
    pool._start = lambda: starts.append(1) or start()  # type: ignore[method-assign]

    async def many() -> list[object]:
        marker = str(tmp_path / "died")
        calls = [pool.run(die, marker) for _ in range(10)]
        return await asyncio.gather(*calls, return_exceptions=True)

    try:
        results = asyncio.run(many())
    finally:
        pool.executor.shutdown(wait=True, cancel_futures=True)
    assert results == [None] * 10
    assert len(starts) == 1
