#!/usr/bin/env python3
"""Build-speed benchmark: ``python benchmarks/bench.py --size S|M [--json]``.

S builds the bundled example site; M generates a large site (50 units × 5 years × 40
events, narratives in both languages) in a temporary folder and builds that. Each build
runs in a fresh subprocess (cold, like a user's command) and is measured for wall time
and peak memory; next to it, a bare loop does the same Markdown and Jinja2 work over the
same content (our floor). Then ``serve`` runs on a copy of the content and one figure is
edited ten times: the time from the file write to the livereload message is the latency an
editor sees (median and 90th percentile). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sitegen import bootstrap  # noqa: E402


def generate_large(target: Path, units: int = 50, years: int = 5, events: int = 40) -> Path:
    """A large, valid content folder: ``units`` units × ``years`` years × ``events`` events."""
    src = ROOT / "content"
    target.mkdir(parents=True)
    for name in ("site.yaml", "periods.yaml", "observances.yaml"):
        shutil.copy(src / name, target / name)
    rng = random.Random(20260101)
    observances = [
        "constitution-day",
        "national-security-day",
        "civil-code-month",
        "anti-drug-day",
        "consumer-day",
    ]
    kinds = ["lecture", "exhibition", "consultation", "distribution", "online"]
    for u in range(units):
        folder = target / "units" / f"unit-{u:03d}"
        folder.mkdir(parents=True)
        (folder / "unit.yaml").write_text(
            f"name:\n  zh: 示例单位{u:03d}\n  en: Sample Unit {u:03d}\norder: {u}\nsample: true\n",
            encoding="utf-8",
        )
        for y in range(2021, 2021 + years):
            lines = ["sample: true", "events:"]
            for e in range(events):
                month, day = rng.randint(1, 12), rng.randint(1, 28)
                lines += [
                    f"  - date: {y}-{month:02d}-{day:02d}",
                    "    title:",
                    f"      zh: 第{e + 1}场普法宣传活动",
                    f"      en: Law-popularization event {e + 1}",
                    f"    observance: {rng.choice(observances)}" if e % 2 else f"    kind: {rng.choice(kinds)}",
                    "    audience: [public]",
                    f"    participants: {rng.randint(20, 800)}",
                ]
            lines += ["trainings:"]
            for t in range(6):
                lines += [
                    f"  - date: {y}-{2 * t + 1:02d}-10",
                    "    kind: lecture",
                    f"    title: 法治讲座{t + 1}",
                    f"    participants: {rng.randint(20, 120)}",
                ]
            lines += ["funding:", f"  budget: {rng.randint(2, 9)}万", "  items:"]
            lines += [f"    - title: 资料印制\n      amount: {rng.randint(5, 30) * 1000}"]
            (folder / f"{y}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
            body = "\n\n".join(f"本年度开展普法工作第{i}段，共组织活动 {{{{ events }}}}。" for i in range(1, 6))
            (folder / f"{y}.zh.md").write_text(f"## {y}年工作情况\n\n{body}\n", encoding="utf-8")
            (folder / f"{y}.en.md").write_text(f"## Work in {y}\n\nEvents held: {{{{ events }}}}.\n", encoding="utf-8")
    return target


BUILD_CHILD = """
import json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from sitegen.site.pipeline import build
t = time.perf_counter()
r = build(Path(sys.argv[2]), Path(sys.argv[3]), templates=Path(sys.argv[4]))
print(json.dumps({"seconds": time.perf_counter() - t, "pages": r.pages, "files": len(r.files)}))
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


def _child(code: str, *args: str) -> dict:
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def timed_build(content: Path, output: Path) -> dict:
    """Build in a fresh interpreter; return seconds, pages and peak memory (MiB)."""
    result = _child(BUILD_CHILD, str(ROOT / "src"), str(content), str(output), str(ROOT / "templates"))
    result["peak_mib"] = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)
    return result


def bare_loop(content: Path) -> dict:
    """The floor: the same Markdown and Jinja2 work (parse YAML, render a page per language), nothing else."""
    return _child(FLOOR_CHILD, str(content))


def reload_latency(content: Path, edits: int = 10) -> dict:
    """With ``serve`` running: seconds from writing a year file to the reload message, per edit."""
    sys.path.insert(0, str(ROOT / "tests"))
    from livepreview import Preview, ReloadClient

    target = sorted(content.glob("units/*/2023.yaml"))[0]
    seconds = []
    with Preview(content, ROOT / "templates") as preview, ReloadClient(preview.port) as client:
        for i in range(edits):
            text = re.sub(r"participants: \d+", f"participants: {500 + i}", target.read_text(encoding="utf-8"), count=1)
            start = time.perf_counter()
            target.write_text(text, encoding="utf-8")
            arrived, _ = client.next_reload(timeout=30)
            seconds.append(arrived - start)
            time.sleep(0.3)
    return {
        "reload_median_ms": round(1000 * statistics.median(seconds)),
        "reload_p90_ms": round(1000 * statistics.quantiles(seconds, n=10)[-1]),
        "reload_max_ms": round(1000 * max(seconds)),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=("S", "M"), default="S")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        content = ROOT / "content" if args.size == "S" else generate_large(Path(tmp) / "content")
        output = Path(tmp) / "output"
        cold = timed_build(content, output)
        warm = timed_build(content, output)  # output exists: unchanged files are kept
        floor = bare_loop(content)
        edited = shutil.copytree(content, Path(tmp) / "edited")  # serve watches a copy: the edits stay there
        latency = reload_latency(edited)
    result = {
        "size": args.size,
        "pages": cold["pages"],
        "files": cold["files"],
        "seconds": round(cold["seconds"], 3),
        "ms_per_page": round(1000 * cold["seconds"] / cold["pages"], 2),
        "rebuild_seconds": round(warm["seconds"], 3),
        "peak_mib": cold["peak_mib"],
        "floor_seconds": round(floor["seconds"], 3),
        "floor_pages": floor["pages"],
        "floor_ms_per_page": round(1000 * floor["seconds"] / max(floor["pages"], 1), 2),
        **latency,
    }
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:>18}: {value}")
    return 0


if __name__ == "__main__":
    bootstrap.ensure()
    sys.exit(main())
