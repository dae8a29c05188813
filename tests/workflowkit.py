"""Run a step of the publish workflow (.github/workflows/publish.yml) as a runner does: its real
`run` text in bash, in the checkout, with the job's environment and a RUNNER_TEMP of its own."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import yaml

from gatekit import ROOT

WORKFLOW = yaml.safe_load((ROOT / ".github/workflows/publish.yml").read_text(encoding="utf-8"))
JOB = WORKFLOW["jobs"]["build"]
STEPS = JOB["steps"]


def step(name: str) -> dict:
    return next(s for s in STEPS if s.get("name") == name)


def run_step(
    name: str, checkout: Path, runner: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    runner.mkdir(parents=True, exist_ok=True)
    environment = {**(env or os.environ), **JOB["env"], "RUNNER_TEMP": str(runner)}
    return subprocess.run(
        ["bash", "-e", "-c", step(name)["run"]],
        cwd=checkout,
        capture_output=True,
        text=True,
        env=environment,
    )
