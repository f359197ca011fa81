"""What a grading worker changes in nbgrader to grade faster, never differently.

A worker grades many submissions one after another with nbgrader's own converter. These
things in nbgrader cost time without changing any grade:

- every submission starts a kernel (about a second of processor time) and talks to it
  cell by cell, although the cells it runs are the course's own tests
  (:mod:`grader.grading.in_process` runs them in the worker instead);
- every cell's metadata is checked against nbgrader's JSON schema, and the schema itself
  is re-validated for every cell (about 0.4 s per notebook);
- every gradebook nbgrader opens makes a new database engine, which compiles every
  query again (:mod:`grader.grading.engines` keeps one per database);
- two steps query the gradebook once per cell (:mod:`grader.grading.bulk_lookups`
  loads each notebook's rows at once);
- nbconvert validates the whole notebook after each of the 17 steps, not once after the
  last (its own ``optimistic_validation`` setting; a notebook that is not valid still
  fails, only at the end).

The preprocessors and their order are nbgrader's; tests compare the resulting gradebook
with one written by plain serial ``nbgrader autograde``.
"""

from __future__ import annotations

import json
import types
from functools import lru_cache
from typing import Any

import jsonschema
from nbgrader import api as nbgrader_api
from nbgrader.nbgraderformat import common as nbgrader_format
from nbgrader.preprocessors import Execute
from traitlets.config import Config

from grader.grading.bulk_lookups import look_up_in_bulk
from grader.grading.engines import shared_engine
from grader.grading.in_process import InProcessExecute


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


def prepare_worker(config: Config) -> None:
    """Make this process a fast grading worker: cached validation and queries, no kernels.

    ``config`` is the course's nbgrader config; its autograde preprocessors are kept,
    with nbgrader's Execute replaced by :class:`InProcessExecute`.
    """
    from nbgrader.converters import Autograde

    nbgrader_format.jsonschema = types.SimpleNamespace(validate=_validate)
    nbgrader_api.create_engine = shared_engine
    look_up_in_bulk()
    config.Exporter.optimistic_validation = True
    section = config.Autograde
    steps = (
        section.autograde_preprocessors
        if "autograde_preprocessors" in section
        else Autograde.class_traits()["autograde_preprocessors"].default()
    )
    section.autograde_preprocessors = [
        InProcessExecute if step is Execute else step for step in steps
    ]
