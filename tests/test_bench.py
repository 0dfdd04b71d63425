"""The benchmark runs and reports every figure (``--quick``: without serve's latency); its numbers are not checked."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KEYS = {"size", "pages", "clean_s", "floor_s", "warm_s", "noop_s", "edit_ms", "reload_ms", "peak_mb", "ms_per_page"}


def test_bench_json_has_every_key() -> None:
    command = [sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--size", "S", "--json", "--quick"]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=300, check=True)
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 1
    result = json.loads(lines[0])
    assert result.keys() >= KEYS
    assert result["size"] == "S" and result["pages"] > 0
    assert result["warm_s"] > 0 and result["reload_ms"] is None  # --quick skips serve
    assert result["edit_written"] > 0  # the edited event reached output/
