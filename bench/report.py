"""Writes one benchmark's figures into its own section of docs/benchmarks.md."""

from __future__ import annotations

import platform
import re
from datetime import datetime
from pathlib import Path

REPORT = Path(__file__).parents[1] / "docs" / "benchmarks.md"
HEADER = """# Benchmarks

Figures written by the scripts in `bench/` (rerun them to refresh a section). Each section
says when and where it was measured. Speed and memory are measured here, never asserted in tests.
"""


def machine() -> str:
    import os

    return f"{platform.node() or 'machine'}, {os.cpu_count()} cores, Python {platform.python_version()}"


def write_section(name: str, title: str, body: str) -> None:
    text = REPORT.read_text(encoding="utf-8") if REPORT.exists() else HEADER
    stamp = datetime.now().strftime("%Y-%m-%d %H:%M")
    block = (
        f"<!-- bench:{name} -->\n## {title}\n\n_Measured {stamp} on {machine()}._\n\n"
        f"{body.strip()}\n<!-- /bench:{name} -->"
    )
    pattern = re.compile(rf"<!-- bench:{name} -->.*?<!-- /bench:{name} -->", re.DOTALL)
    text = (
        pattern.sub(lambda _: block, text)
        if pattern.search(text)
        else text.rstrip() + "\n\n" + block + "\n"
    )
    REPORT.write_text(text, encoding="utf-8")
