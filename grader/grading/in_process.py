"""nbgrader's Execute step, run by IPython inside the grading worker instead of in a kernel.

Grading runs no learner code: the notebook to grade is rebuilt from the released cells
(:mod:`grader.grading.sanitize`), and its only code cells are the course's own hidden
tests, which read the learner's answers file as data. Starting a kernel for them costs
about a second of processor time per submission and a message round trip per cell, for
nothing a kernel adds. So a worker keeps one IPython shell and runs each submission's
cells in it, in the submission's folder, with a namespace and cell counter of its own,
and records the outputs as a kernel's messages would have been recorded by nbclient:

- printed text as ``stream`` outputs (``stdout`` or ``stderr``, which nbgrader scores 0);
- a cell's value as ``execute_result`` (nbgrader's partial credit), displays as
  ``display_data``;
- an exception as an ``error`` output with IPython's traceback, or a timeout as
  nbgrader's ``CellTimeoutError``, and the notebook's ``language_info`` as IPython's.

Python's default warning filters apply while a cell runs (the worker silences its own).
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import sys
import threading
import warnings
from collections.abc import Iterator
from typing import Any

from IPython.core.displayhook import DisplayHook
from IPython.core.displaypub import DisplayPublisher
from IPython.core.interactiveshell import InteractiveShell
from nbformat.notebooknode import NotebookNode, from_dict
from nbgrader.preprocessors import Execute

# Python's own filters (a release build), which a kernel's cells run under.
DEFAULT_WARNING_FILTERS = [
    ("default", DeprecationWarning, "__main__"),
    ("ignore", DeprecationWarning, ""),
    ("ignore", PendingDeprecationWarning, ""),
    ("ignore", ImportWarning, ""),
    ("ignore", ResourceWarning, ""),
]


class CellTimeout(Exception):
    """A cell ran longer than nbgrader's per-cell timeout."""


class _Results(DisplayHook):
    """Keeps a cell's value as its ``execute_result`` output, as ipykernel sends it."""

    def start_displayhook(self) -> None:
        self.data: dict[str, Any] = {}
        self.metadata: dict[str, Any] = {}

    def write_output_prompt(self) -> None:
        pass

    def write_format_data(self, format_dict: dict, md_dict: dict | None = None) -> None:
        self.data, self.metadata = format_dict, md_dict or {}

    def finish_displayhook(self) -> None:
        self.shell.outputs.add(
            "execute_result",
            {"data": self.data, "metadata": self.metadata, "execution_count": self.prompt_count},
        )


class _Displays(DisplayPublisher):
    """Keeps ``display(...)`` calls as ``display_data`` outputs."""

    def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **_):
        self.shell.outputs.add("display_data", {"data": data, "metadata": metadata or {}})

    def clear_output(self, wait: bool = False) -> None:
        self.shell.outputs.clear()


class _Outputs:
    """One cell's outputs, in the order a kernel would have sent them."""

    def __init__(self) -> None:
        self.items: list[NotebookNode] = []

    def add(self, output_type: str, content: dict) -> None:
        """An output as nbformat's ``output_from_msg`` makes it (without validating each
        one: nbconvert validates the whole notebook after this step)."""
        self.items.append(from_dict({"output_type": output_type, **content}))

    def write(self, name: str, text: str) -> None:
        last = self.items[-1] if self.items else None
        if last is not None and last.output_type == "stream" and last.name == name:
            last.text += text  # one stream output per run of writes, as ipykernel flushes
        else:
            self.add("stream", {"name": name, "text": text})

    def clear(self) -> None:
        self.items = []


class _Stream(io.TextIOBase):
    def __init__(self, outputs: _Outputs, name: str) -> None:
        self._outputs, self.name = outputs, name

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if text:
            self._outputs.write(self.name, text)
        return len(text)


class GradingShell(InteractiveShell):
    """An IPython shell whose outputs are recorded per cell instead of printed."""

    displayhook_class = _Results
    display_pub_class = _Displays

    def init_instance_attrs(self) -> None:
        super().init_instance_attrs()
        self.outputs = _Outputs()
        self.error: dict[str, Any] | None = None
        self.timeout_error: dict[str, Any] = {}

    def _showtraceback(self, etype, evalue, stb) -> None:
        if issubclass(etype, CellTimeout):
            self.error = {**self.timeout_error, "traceback": list(self.timeout_error["traceback"])}
        else:
            self.error = {"ename": etype.__name__, "evalue": str(evalue), "traceback": stb}
        self.outputs.add("error", self.error)

    def start_notebook(self) -> None:
        """A new namespace and cell counter, as in a new kernel. (``reset`` would do the
        same and collect garbage, a fifth of a second.)"""
        self.history_manager.reset(new_session=False)
        kept = ("__builtin__", "__builtins__", "__name__")
        for name in [name for name in self.user_ns if name not in kept]:
            del self.user_ns[name]
        self.user_ns_hidden.clear()
        self.init_user_ns()
        self.execution_count = 1

    def run(self, source: str) -> tuple[list[NotebookNode], dict[str, Any]]:
        """Run one cell; its outputs and the reply a kernel would have sent."""
        self.outputs, self.error = _Outputs(), None
        count = self.execution_count
        with (
            contextlib.redirect_stdout(_Stream(self.outputs, "stdout")),
            contextlib.redirect_stderr(_Stream(self.outputs, "stderr")),
        ):
            self.run_cell(source, store_history=True)
        content = {"status": "ok", "execution_count": count}
        if self.error is not None:
            content = {**content, "status": "error", **self.error}
        return self.outputs.items, {"content": content}


_shell: GradingShell | None = None


def grading_shell() -> GradingShell:
    """This worker's shell, made on first use."""
    global _shell
    if _shell is None:
        settings = {"colors": "linux", "history_length": 0}
        main = sys.modules.get("__main__")  # IPython puts its own namespace there
        if InteractiveShell.initialized():  # inside a kernel: leave its shell alone
            _shell = GradingShell(**settings)
        else:  # the process's shell, so that IPython's display() reaches it
            _shell = GradingShell.instance(**settings)
        if main is not None:  # multiprocessing's spawn reads the real one
            sys.modules["__main__"] = main
        _shell.history_manager.enabled = False
    return _shell


class InProcessExecute(Execute):
    """nbgrader's Execute preprocessor without a kernel (see the module's description)."""

    def preprocess(
        self, nb: NotebookNode, resources: Any = None, km: Any = None
    ) -> tuple[NotebookNode, Any]:
        from ipykernel.ipkernel import IPythonKernel

        shell = grading_shell()
        shell.start_notebook()
        shell.timeout_error = dict(self.error_on_timeout)
        folder = (resources or {}).get("metadata", {}).get("path") or os.getcwd()
        nb.metadata["language_info"] = dict(IPythonKernel.language_info)
        with _in_folder(folder), _default_warnings():
            for cell in nb.cells:
                if cell.cell_type != "code" or not cell.source.strip():
                    continue
                with _time_limit(self.timeout):
                    cell.outputs, reply = shell.run(cell.source)
                cell.execution_count = reply["content"]["execution_count"]
                self.on_cell_executed(cell=cell, execute_reply=reply)
        return nb, resources


@contextlib.contextmanager
def _in_folder(folder: str) -> Iterator[None]:
    before = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


@contextlib.contextmanager
def _default_warnings() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.resetwarnings()
        for action, category, module in reversed(DEFAULT_WARNING_FILTERS):
            warnings.filterwarnings(action, category=category, module=module)
        warnings.showwarning = _show_warning
        yield


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """Python's way of showing a warning: on the cell's stderr."""
    sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))


@contextlib.contextmanager
def _time_limit(seconds: int | None) -> Iterator[None]:
    """Stop a cell after ``seconds`` (a timer signal: only in a process's main thread)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(*_: Any) -> None:
        raise CellTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
