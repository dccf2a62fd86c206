"""Packaging metadata a fresh install depends on: the SPDX license form and a setuptools that reads it."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

PYPROJECT = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text(encoding="utf-8"))


def test_license_is_an_spdx_expression():
    # A table (`license = { text = ... }`) makes setuptools print a deprecation banner on every install.
    assert isinstance(PYPROJECT["project"]["license"], str)
    assert not any(c.startswith("License ::") for c in PYPROJECT["project"].get("classifiers", []))


def test_build_requires_a_setuptools_that_reads_spdx_licenses():
    pins = [r for r in PYPROJECT["build-system"]["requires"] if r.startswith("setuptools")]
    assert pins, "setuptools is not a build requirement"
    floor = re.search(r">=\s*(\d+)", pins[0])
    assert floor and int(floor.group(1)) >= 77, pins[0]
