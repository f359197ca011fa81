"""What a parallel autograde worker changes in nbgrader to grade faster, never differently.

A worker grades many submissions one after another with nbgrader's own converter. Two
things in nbgrader cost time without changing any grade:

- every submission waits for a fresh kernel to start, and then for it to shut down;
- every cell's metadata is checked against nbgrader's JSON schema, and the schema itself
  is re-validated for every cell (about 0.4 s per notebook).

So a worker keeps one spare kernel starting in the background while it grades, takes it
for the next submission (moving it into that submission's folder first, as nbgrader would
have started it there), and kills a finished kernel instead of waiting for it to exit.
It also checks cell metadata with a validator built once per schema. The preprocessors,
their order, the kernel and its arguments are nbgrader's; tests compare the resulting
gradebook with one written by plain serial ``nbgrader autograde``.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import shutil
import tempfile
import types
from functools import lru_cache
from typing import Any

import jsonschema
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from nbformat.notebooknode import NotebookNode
from nbgrader.nbgraderformat import common as nbgrader_format
from nbgrader.preprocessors import Execute
from traitlets.config import Config


class WarmKernelExecute(Execute):
    """nbgrader's Execute preprocessor, run on a kernel that was started in advance."""

    def preprocess(
        self, nb: NotebookNode, resources: Any = None, km: Any = None
    ) -> tuple[NotebookNode, Any]:
        if km is not None:
            return super().preprocess(nb, resources, km=km)
        kernel_name = self.kernel_name or nb.metadata.get("kernelspec", {}).get("name", "")
        km = SPARE_KERNELS.take(kernel_name, self._kernel_arguments(), self.config)
        folder = (resources or {}).get("metadata", {}).get("path") or os.getcwd()
        self.on_notebook_start = _working_directory_setter(self, folder)
        try:
            return super().preprocess(nb, resources, km=km)
        finally:
            if self.kc is not None:
                self.kc.stop_channels()
            _kill(km)

    def _kernel_arguments(self) -> list[str]:
        """The arguments nbclient would start an IPython kernel with."""
        arguments = list(self.extra_arguments)
        if self.ipython_hist_file and not any(
            argument.startswith("--HistoryManager.hist_file") for argument in arguments
        ):
            arguments.append(f"--HistoryManager.hist_file={self.ipython_hist_file}")
        return arguments


def _working_directory_setter(client: Execute, folder: str):
    """A hook that moves a warm kernel into ``folder`` before the first cell runs."""

    async def enter_folder(**_: Any) -> None:
        code = f"import os as _os; _os.chdir({folder!r}); del _os"
        message_id = client.kc.execute(code, silent=True, store_history=False)
        reply = await client.async_wait_for_reply(message_id)
        if reply is None or reply["content"]["status"] != "ok":
            raise RuntimeError(f"the grading kernel could not enter {folder}")

    return enter_folder


class SpareKernels:
    """At most one kernel per worker, started ahead of the submission that needs it."""

    def __init__(self) -> None:
        self._spare: tuple[tuple[str, tuple[str, ...]], AsyncKernelManager] | None = None
        self._folder: str | None = None

    def start(self, kernel_name: str, arguments: list[str], config: Config) -> None:
        """Start a spare kernel now, unless one is already waiting."""
        if self._folder is None:
            self._folder = tempfile.mkdtemp(prefix="grader-kernel-")
            atexit.register(self.close)
        if self._spare is None:
            km = AsyncKernelManager(kernel_name=kernel_name, config=config)
            run_sync(km.start_kernel)(extra_arguments=arguments, cwd=self._folder)
            self._spare = ((kernel_name, tuple(arguments)), km)

    def take(self, kernel_name: str, arguments: list[str], config: Config) -> AsyncKernelManager:
        """A started kernel for this submission; the next one starts at once."""
        wanted = (kernel_name, tuple(arguments))
        if self._spare is not None and self._spare[0] != wanted:
            self._discard()
        self.start(kernel_name, arguments, config)
        assert self._spare is not None
        km, self._spare = self._spare[1], None
        self.start(kernel_name, arguments, config)
        return km

    def close(self) -> None:
        """Stop the waiting kernel and remove its folder (a worker's last act)."""
        self._discard()
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None

    def _discard(self) -> None:
        if self._spare is not None:
            _kill(self._spare[1])
            self._spare = None


def _kill(km: AsyncKernelManager) -> None:
    """Stop a kernel whose work is done without waiting for it to wind down."""
    with contextlib.suppress(RuntimeError):  # already gone
        run_sync(km.shutdown_kernel)(now=True)


SPARE_KERNELS = SpareKernels()


@lru_cache(maxsize=8)
def _validator(schema_json: str) -> jsonschema.protocols.Validator:
    schema = json.loads(schema_json)
    return jsonschema.validators.validator_for(schema)(schema)


def _validate(instance: Any, schema: dict[str, Any]) -> None:
    """``jsonschema.validate`` without re-checking the (fixed, valid) schema each call."""
    error = jsonschema.exceptions.best_match(
        _validator(json.dumps(schema, sort_keys=True)).iter_errors(instance)
    )
    if error is not None:
        raise error


def prepare_worker(config: Config, *, warm_kernels: bool = True) -> None:
    """Make this process a fast grading worker: cached validation and warm kernels.

    ``config`` is the course's nbgrader config; its autograde preprocessors are kept,
    with nbgrader's Execute replaced by :class:`WarmKernelExecute`. The first spare
    kernel starts at once, so it is ready by the time the first submission is sanitised.
    A worker that grades a single submission gains nothing from a spare kernel
    (``warm_kernels=False``) and keeps nbgrader's own.
    """
    from nbgrader.converters import Autograde

    nbgrader_format.jsonschema = types.SimpleNamespace(validate=_validate)
    if not warm_kernels:
        return

    section = config.Autograde
    steps = (
        section.autograde_preprocessors
        if "autograde_preprocessors" in section
        else Autograde.class_traits()["autograde_preprocessors"].default()
    )
    section.autograde_preprocessors = [
        WarmKernelExecute if step is Execute else step for step in steps
    ]
    execute = WarmKernelExecute(config=config)
    SPARE_KERNELS.start(execute.kernel_name or "python3", execute._kernel_arguments(), config)
