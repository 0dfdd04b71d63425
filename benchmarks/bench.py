#!/usr/bin/env python3
"""Build-speed benchmark: ``python benchmarks/bench.py --size S|M|L [S|M|L …] [--json] [--quick]``.

S is the bundled example; M (50 units × 5 years × 40 events) and L (300 units × 10 years in two
periods × 20 events) are generated in a temporary folder (``benchmarks/sites.py``). For each size,
measured in the same run, each build in a fresh interpreter like a user's command:

- a clean build (no output folder, an empty build cache that it fills; rendering over the CPUs as
  ``sitegen build`` does), the same without the cache (``--no-cache``) and in one process without it
  (``SITEGEN_JOBS=1``): seconds, ms per page, peak memory of the build process and of its largest worker;
- a warm-cache build (a new, empty output folder; the cache the clean build filled: its files are linked
  back), the same with the cache's entries but not its kept files (every stage runs, each page from the
  cache), a no-op rebuild (output present and unchanged, warm cache) and a rebuild after one event was
  edited, written to ``output/`` (warm cache), then another (its write takes back, as its staging folder,
  the output the first one replaced: an editor's repeated builds); the size of the cache folder;
- the floor: a bare loop doing the same Markdown and Jinja2 work over the same content;
- unless ``--quick``: ``serve`` running on the content while one figure is edited ten times, the
  time from the file write to the livereload message (median, 90th percentile, max).

Prints figures; asserts nothing.
``--json`` prints one object per size, one per line.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from sitegen import bootstrap  # noqa: E402

BUILD_CHILD = """
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from sitegen.site import parallel
from sitegen.site.buildcache import BuildCache
from sitegen.site.pipeline import build
cache = BuildCache(Path(sys.argv[5])) if sys.argv[5] != "-" else None
t = time.perf_counter()
r = build(Path(sys.argv[2]), Path(sys.argv[3]), templates=Path(sys.argv[4]), cache=cache)
seconds = time.perf_counter() - t
unit = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB elsewhere
peak = [resource.getrusage(who).ru_maxrss * unit / 2**20 for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
print(json.dumps({
    "seconds": seconds, "pages": r.pages, "files": len(r.files), "written": r.stats.written,
    "jobs": parallel.jobs_for(r.pages - 1), "peak_mb": peak[0], "workers_peak_mb": peak[1],
    "timings": dict(r.timings), "cache": cache.counts.__dict__ if cache else None,
}))
"""

FLOOR_CHILD = """
import json, sys, time
from pathlib import Path
import jinja2, markdown, yaml
t = time.perf_counter()
env = jinja2.Environment(autoescape=True)
tpl = env.from_string(
    "<html><body><h1>{{ t }}</h1>{{ body|safe }}<table>{% for e in events %}"
    "<tr><td>{{ e.date }}</td><td>{{ e.title }}</td></tr>{% endfor %}</table></body></html>"
)
pages = 0
for f in sorted(Path(sys.argv[1]).rglob("*.yaml")):
    data = yaml.load(f.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) or {}
    events = data.get("events", []) if isinstance(data, dict) else []
    for lang in ("zh", "en"):
        md = f.with_suffix("." + lang + ".md")
        body = markdown.markdown(md.read_text(encoding="utf-8")) if md.exists() else ""
        tpl.render(t=f.stem, body=body, events=events)
        pages += 1
print(json.dumps({"seconds": time.perf_counter() - t, "pages": pages}))
"""

EDITED = "units/*/2023.yaml"
"""The year file edited (the first unit's, in name order): its first ``participants`` figure."""


def _child(code: str, *args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        raise RuntimeError(f"the measured build failed:\n{proc.stderr}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["wall_s"] = time.perf_counter() - start  # with the interpreter's start and the imports
    return result


def timed_build(content: Path, output: Path, cache: Path | None, jobs: int | None = None) -> dict[str, Any]:
    """Build in a fresh interpreter (with the build cache in ``cache``, if any): seconds, pages, files written,
    render processes, peak memory (MB), seconds per stage, what the cache did."""
    env = dict(os.environ, SITEGEN_JOBS=str(jobs)) if jobs else None
    args = (str(content), str(output), str(ROOT / "templates"), str(cache) if cache else "-")
    return _child(BUILD_CHILD, str(ROOT / "src"), *args, env=env)


def bare_loop(content: Path) -> dict[str, Any]:
    """The floor: the same Markdown and Jinja2 work (parse YAML, render a page per language), nothing else."""
    return _child(FLOOR_CHILD, str(content))


def edit_event(content: Path, value: int) -> None:
    """Change one event's participants in the edited year file."""
    target = sorted(content.glob(EDITED))[0]
    text = re.sub(r"participants: \d+", f"participants: {value}", target.read_text(encoding="utf-8"), count=1)
    target.write_text(text, encoding="utf-8")


def reload_latency(content: Path, edits: int = 10) -> dict[str, int]:
    """With ``serve`` running: milliseconds from writing a year file to the reload message, per edit."""
    sys.path.insert(0, str(ROOT / "tests"))
    from livepreview import Preview, ReloadClient

    seconds = []
    with Preview(content, ROOT / "templates", timeout=600) as preview, ReloadClient(preview.port) as client:
        for i in range(edits):
            start = time.perf_counter()
            edit_event(content, 500 + i)
            arrived, _ = client.next_reload(timeout=120)
            seconds.append(arrived - start)
            time.sleep(0.3)
    return {
        "reload_ms": round(1000 * statistics.median(seconds)),
        "reload_p90_ms": round(1000 * statistics.quantiles(seconds, n=10)[-1]),
        "reload_max_ms": round(1000 * max(seconds)),
    }


def measure(size: str, tmp: Path, quick: bool) -> dict[str, Any]:
    """Every figure for one size, on a fresh copy of its content under ``tmp``."""
    from sites import content_for

    content = content_for(size, tmp / "content")
    output, cache = tmp / "output", tmp / "cache"
    clean = timed_build(content, output, cache)  # fills the empty cache
    uncached = timed_build(content, tmp / "output-uncached", None)
    one = timed_build(content, tmp / "output-1", None, jobs=1)
    warm = timed_build(content, tmp / "output-warm", cache)  # the files the clean build wrote, linked back
    rebuilt = tmp / "cache-entries"  # the cache without those files: every page from the cache's entries
    shutil.copytree(cache, rebuilt, ignore=lambda folder, names: ["files"] if Path(folder) == cache else [])
    warm_built = timed_build(content, tmp / "output-warm-built", rebuilt)
    noop = timed_build(content, output, cache)
    edit_event(content, 499)
    edited = timed_build(content, output, cache)
    edit_event(content, 498)  # again: the write now takes back the output the first one replaced
    again = timed_build(content, output, cache)
    floor = bare_loop(content)
    latency = {"reload_ms": None, "reload_p90_ms": None, "reload_max_ms": None}
    if not quick:
        latency.update(reload_latency(content))
    return {
        "size": size,
        "pages": clean["pages"],
        "files": clean["files"],
        "jobs": clean["jobs"],
        "clean_s": round(clean["seconds"], 3),
        "clean_nocache_s": round(uncached["seconds"], 3),
        "clean_1job_s": round(one["seconds"], 3),
        "clean_cli_s": round(clean["wall_s"], 3),
        "ms_per_page": round(1000 * clean["seconds"] / clean["pages"], 2),
        "peak_mb": round(clean["peak_mb"], 1),
        "workers_peak_mb": round(clean["workers_peak_mb"], 1) if clean["jobs"] > 1 else None,
        "warm_s": round(warm["seconds"], 3),
        "warm_built_s": round(warm_built["seconds"], 3),
        "noop_s": round(noop["seconds"], 3),
        "edit_ms": round(1000 * edited["seconds"]),
        "edit_written": edited["written"],
        "edit_again_ms": round(1000 * again["seconds"]),
        "cache_mb": round(sum(f.stat().st_size for f in cache.glob("*") if f.is_file()) / 2**20, 1),
        "kept_files": sum(1 for _ in (cache / "files").glob("*")),  # links: no space while the output exists
        "warm_stages_s": {stage: round(s, 3) for stage, s in warm["timings"].items()},
        "warm_built_stages_s": {stage: round(s, 3) for stage, s in warm_built["timings"].items()},
        "noop_stages_s": {stage: round(s, 3) for stage, s in noop["timings"].items()},
        "edit_stages_s": {stage: round(s, 3) for stage, s in edited["timings"].items()},
        "edit_again_stages_s": {stage: round(s, 3) for stage, s in again["timings"].items()},
        "floor_s": round(floor["seconds"], 3),
        "floor_pages": floor["pages"],
        "floor_ms_per_page": round(1000 * floor["seconds"] / max(floor["pages"], 1), 2),
        **latency,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=("S", "M", "L"), nargs="+", default=["S"], help="site sizes (default: S)")
    parser.add_argument("--json", action="store_true", help="print one JSON object per size")
    parser.add_argument("--quick", action="store_true", help="skip serve's reload latency")
    args = parser.parse_args()
    for size in args.size:
        with tempfile.TemporaryDirectory() as tmp:
            result = measure(size, Path(tmp), args.quick)
        if args.json:
            print(json.dumps(result), flush=True)
        else:
            print("\n".join(f"{key:>18}: {value}" for key, value in result.items()), end="\n\n", flush=True)
    return 0


if __name__ == "__main__":
    bootstrap.ensure()
    sys.exit(main())
