"""Fixtures: a small bureau in tmp_path, each test changing one thing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from generator.core.problems import Problem

from helpers import Bureau


@pytest.fixture
def bureau(tmp_path: Path) -> Bureau:
    return Bureau(tmp_path)


@pytest.fixture
def only(bureau: Bureau) -> Callable[[str], list[Problem]]:
    """Problems with a given code."""

    def pick(code: str) -> list[Problem]:
        return [p for p in bureau.problems() if p.code == code]

    return pick
