"""Content folders for the benchmark and the tests: the bundled example (S) and generated sites (M, L).

M is 50 units × 5 years (2021–2025, one period) × 40 events in 5 groups; L is 300 units × 10 years
(2016–2025, two periods) × 20 events in 10 groups; both with narratives in Chinese and English.
"""

from __future__ import annotations

import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OBSERVANCES = ("constitution-day", "national-security-day", "civil-code-month", "anti-drug-day", "consumer-day")
KINDS = ("lecture", "exhibition", "consultation", "distribution", "online")


@dataclass(frozen=True)
class Shape:
    """How large a generated site is."""

    units: int
    years: int
    events: int
    first_year: int = 2021
    groups: int = 5


SHAPES = {"M": Shape(50, 5, 40), "L": Shape(300, 10, 20, first_year=2016, groups=10)}


def content_for(size: str, target: Path) -> Path:
    """A copy of the content of ``size`` (``S``: the example) at ``target``, to build and edit."""
    if size == "S":
        return shutil.copytree(ROOT / "content", target)
    return generate(target, SHAPES[size])


def generate(target: Path, shape: Shape = SHAPES["M"]) -> Path:
    """A valid content folder of ``shape``: the example's site files and generated units."""
    target.mkdir(parents=True)
    for name in ("periods.yaml", "observances.yaml"):
        shutil.copy(ROOT / "content" / name, target / name)
    site = (ROOT / "content" / "site.yaml").read_text(encoding="utf-8")
    groups = "".join(
        f"  - id: group-{g}\n    name:\n      zh: 第{g}组\n      en: Group {g}\n" for g in range(shape.groups)
    )
    (target / "site.yaml").write_text(re.sub(r"(?ms)^groups:\n.*?(?=^\S)", "groups:\n" + groups + "\n", site), "utf-8")
    if (ROOT / "content" / "static").is_dir():  # the images site.yaml names
        shutil.copytree(ROOT / "content" / "static", target / "static")
    rng = random.Random(20260101)
    for u in range(shape.units):
        folder = target / "units" / f"unit-{u:03d}"
        folder.mkdir(parents=True)
        (folder / "unit.yaml").write_text(
            f"name:\n  zh: 示例单位{u:03d}\n  en: Sample Unit {u:03d}\norder: {u}\ngroup: group-{u % shape.groups}\n"
            "sample: true\n",
            encoding="utf-8",
        )
        for year in range(shape.first_year, shape.first_year + shape.years):
            (folder / f"{year}.yaml").write_text(year_file(rng, year, shape.events), encoding="utf-8")
            body = "\n\n".join(f"本年度开展普法工作第{i}段，共组织活动 {{{{ events }}}}。" for i in range(1, 6))
            (folder / f"{year}.zh.md").write_text(f"## {year}年工作情况\n\n{body}\n", encoding="utf-8")
            en = f"## Work in {year}\n\nEvents held: {{{{ events }}}}.\n"
            (folder / f"{year}.en.md").write_text(en, encoding="utf-8")
    return target


def year_file(rng: random.Random, year: int, events: int) -> str:
    """One unit's year: ``events`` events, six trainings and a budget."""
    observances = [o for o in OBSERVANCES if year >= 2021 or o != "civil-code-month"]  # the Civil Code is of 2020
    lines = ["sample: true", "events:"]
    for e in range(events):
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        lines += [
            f"  - date: {year}-{month:02d}-{day:02d}",
            "    title:",
            f"      zh: 第{e + 1}场普法宣传活动",
            f"      en: Law-popularization event {e + 1}",
            f"    observance: {rng.choice(observances)}" if e % 2 else f"    kind: {rng.choice(KINDS)}",
            "    audience: [public]",
            f"    participants: {rng.randint(20, 800)}",
        ]
    lines += ["trainings:"]
    for t in range(6):
        lines += [
            f"  - date: {year}-{2 * t + 1:02d}-10",
            "    kind: lecture",
            f"    title: 法治讲座{t + 1}",
            f"    participants: {rng.randint(20, 120)}",
        ]
    lines += ["funding:", f"  budget: {rng.randint(2, 9)}万", "  items:"]
    lines += [f"    - title: 资料印制\n      amount: {rng.randint(5, 30) * 1000}"]
    return "\n".join(lines) + "\n"
