"""The benchmark scripts stay runnable: each runs end to end at a tiny size. Their figures are
not checked here (they are measurements, quoted in bench/README.md), only that every stage of
each script still works against the current code."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from tests.support import ROOT

BENCH = ROOT / "bench"


def run(*args: str) -> str:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.mark.slow
def test_the_build_benchmark_runs_every_stage():
    out = run(
        str(BENCH / "bench.py"),
        *("--labs", "3", "--criteria", "5", "--runs", "1"),
        *("--history", "2", "--serve-labs", "3", "--serve-edits", "1"),
    )
    assert "| 3 |" in out  # the stage table
    assert "History (editions and change feed)" in out
    assert "scorecard serve, 3 labs: an edit to one lab file is visible in" in out


def test_the_data_benchmark_runs():
    out = run(
        str(BENCH / "bench_data.py"),
        *("--labs", "3", "--criteria", "5", "--runs", "1", "--rounds", "1"),
    )
    assert "floor: yaml.load, CSafeLoader" in out
    assert "scores --format json" in out
