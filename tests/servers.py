"""Jupyter servers the browser tests start on 127.0.0.1: their environment and start-up."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path

import pytest


def isolated_env(root: Path) -> dict[str, str]:
    """This process's environment with Jupyter's folders under ``root`` and no hub."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTERHUB_")}
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
        env[name] = str(root / "home" / name.lower())
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    return env


def start_server(
    command: list[str], cwd: Path, env: dict[str, str], port: int, log: Path, what: str
) -> subprocess.Popen[bytes]:
    """Start ``command`` in its own process group, once it listens on ``port``; a server
    that exits or does not listen within 60 s fails the test with its log."""
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            pytest.fail(
                f"{what} exited with {process.returncode}:\n{log.read_text(errors='replace')}"
            )
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process
        except OSError:
            if time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"{what} did not listen on {port} in 60 s:\n{log.read_text()}")
            time.sleep(0.2)
