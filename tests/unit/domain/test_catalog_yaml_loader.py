"""The catalog files are read with libyaml's safe loader when PyYAML has it (for speed):
it must give exactly what PyYAML's own safe loader gives, file by file."""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

from backcoach.catalog import SAFE_LOADER

FILES = sorted(str(p.relative_to(p.parents[1])) if p.parent.name == "outcomes" else p.name
               for p in resources.files("backcoach.catalog").rglob("*.yaml"))


def test_the_fast_loader_is_used_when_available():
    assert SAFE_LOADER is (yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader)


@pytest.mark.parametrize("name", FILES)
def test_each_catalog_file_reads_the_same_with_either_loader(name):
    text = resources.files("backcoach.catalog").joinpath(name).read_text(encoding="utf-8")
    assert yaml.load(text, Loader=SAFE_LOADER) == yaml.load(text, Loader=yaml.SafeLoader)  # noqa: S506
