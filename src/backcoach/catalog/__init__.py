"""The exercise catalog and the clinical thresholds, as data files shipped with the package.

The domain takes parsed objects and does no I/O; this is the one place that reads the
files (``exercises.yaml``, ``thresholds.yaml``, ``examples/course_*.json``). Results are
cached: the files do not change while the program runs.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from importlib import resources
from typing import Any

import yaml

from backcoach.domain.catalog import Catalog
from backcoach.domain.errors import InvalidCatalog
from backcoach.domain.education import Topic, topics_from_dict
from backcoach.domain.outcomes import Instrument, instrument_from_dict
from backcoach.domain.thresholds import Thresholds

__all__ = ["load_catalog", "load_thresholds", "load_example_course", "example_course_name", "example_course_names",
           "load_outcome_instruments", "load_education"]


def _read_yaml(name: str) -> Any:
    return _parse(resources.files(__name__).joinpath(name).read_text(encoding="utf-8"), name)


@cache
def load_thresholds() -> Thresholds:
    """The shipped thresholds (``thresholds.yaml``)."""
    return Thresholds.from_dict(_read_yaml("thresholds.yaml") or {})


@cache
def load_catalog() -> Catalog:
    """The shipped catalog (``exercises.yaml``), carrying the shipped thresholds."""
    return Catalog.from_dict(_read_yaml("exercises.yaml"), thresholds=load_thresholds())


def example_course_names() -> tuple[str, ...]:
    """Names of the example simulation courses, e.g. ``steady_improvement``."""
    folder = resources.files(__name__).joinpath("examples")
    return tuple(sorted(p.name[len("course_"):-len(".json")] for p in folder.iterdir()
                        if p.name.startswith("course_") and p.name.endswith(".json")))


def example_course_name(ref: str) -> str | None:
    """The example course a bare name refers to, if any: ``flare_up``, ``course_flare_up`` and
    ``course_flare_up.json`` all name ``flare_up`` (a path with a folder never does)."""
    if "/" in ref or "\\" in ref:
        return None
    name = ref[:-len(".json")] if ref.endswith(".json") else ref
    name = name[len("course_"):] if name.startswith("course_") else name
    return name if name in example_course_names() else None


def load_example_course(name: str) -> dict[str, Any]:
    """One example course for :func:`backcoach.domain.simulation.simulate`, parsed from JSON."""
    if name not in example_course_names():
        raise InvalidCatalog(f"There is no example course {name!r}; known: {', '.join(example_course_names())}.")
    text = resources.files(__name__).joinpath("examples", f"course_{name}.json").read_text(encoding="utf-8")
    return json.loads(text)


@cache
def load_outcome_instruments(extra_dir: str | None = None) -> tuple[Instrument, ...]:
    """The shipped outcome questionnaires (``outcomes/*.yaml``), plus any definition files a
    service supplies in ``extra_dir`` (licensed questionnaires whose wording we may not ship).
    A supplied file with the id of a shipped one replaces it."""
    found: dict[str, Instrument] = {}
    folder = resources.files(__name__).joinpath("outcomes")
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".yaml"):
            found_one = instrument_from_dict(_parse(entry.read_text(encoding="utf-8"), entry.name), entry.name)
            found[found_one.id] = found_one
    if extra_dir:
        path = Path(extra_dir)
        if not path.is_dir():
            raise InvalidCatalog(f"The outcome definitions folder {extra_dir} does not exist.")
        for file in sorted(path.glob("*.yaml")):
            found_one = instrument_from_dict(_parse(file.read_text(encoding="utf-8"), file.name), file.name)
            found[found_one.id] = found_one
    return tuple(found.values())


@cache
def load_education() -> tuple[Topic, ...]:
    """The short reads for the first weeks (``education.yaml``)."""
    return topics_from_dict(_read_yaml("education.yaml"))


# libyaml's safe loader when PyYAML was built with it: the same documents, about ten times
# faster (exercises.yaml: ~60 ms instead of ~600 ms on the shared test machine), which every
# command, worker and test process pays once when it first reads the catalog.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _parse(text: str, name: str) -> Any:
    try:
        return yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 - a safe loader
    except yaml.YAMLError as error:
        raise InvalidCatalog(f"{name} is not valid YAML: {error}") from None
