"""Shared helpers for the content-validation tests.

``make_site(tmp_path, files)`` writes a minimal valid site and overlays ``files`` on it
(in the style of MkDocs' ``tempdir(files=...)``): a ``str`` is written as UTF-8, ``bytes``
are written raw, and ``None`` deletes a file of the minimal site.

``check(path, *args)`` runs the real command line (``build.py check``) in a subprocess;
``problems(path)`` loads the content in-process and returns the sorted errors.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from sitegen.errors import ContentError, ContentErrors
from sitegen.loader import load_content

ROOT = Path(__file__).resolve().parents[1]
"""The repository root (where build.py lives)."""

SITE_YAML = """\
name:
  zh: 某区委办公室普法网
  en: District Office Law-Popularization Site
organizer: 某区委办公室
base_url: https://www.example.gov.cn/pufa/
site_id_code: "4201170001"
icp: 鄂ICP备12345678号-1
police_record: 鄂公网安备42011702000123号
"""

PERIODS_YAML = """\
periods:
  - id: bawu
    name: 八五普法
    start: 2021
    end: 2025
    status: active
"""

OBSERVANCES_YAML = """\
observances:
  - id: constitution-day
    name: 国家宪法日
    date: 12-04
kinds:
  - id: lecture
    name: 讲座
"""

UNIT_YAML = """\
name: 演示单位
"""

YEAR_YAML = """\
events:
  - date: 2021-12-04
    title: 宪法宣传
    observance: constitution-day
    kind: lecture
    participants: 120
"""

MINIMAL_SITE: dict[str, str] = {
    "site.yaml": SITE_YAML,
    "periods.yaml": PERIODS_YAML,
    "observances.yaml": OBSERVANCES_YAML,
    "units/demo/unit.yaml": UNIT_YAML,
    "units/demo/2021.yaml": YEAR_YAML,
}

YEAR_FILE = "units/demo/2021.yaml"


def make_site(tmp_path: Path, files: dict[str, str | bytes | None] | None = None) -> Path:
    """Write the minimal valid site under ``tmp_path/content``, then overlay ``files``."""
    root = tmp_path / "content"
    merged: dict[str, str | bytes | None] = {**MINIMAL_SITE, **(files or {})}
    for rel, data in merged.items():
        path = root / rel
        if data is None:
            if path.exists():
                path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8", newline="")
    return root


def year(body: str) -> dict[str, str]:
    """Overlay for the demo unit's 2021.yaml (dedented)."""
    return {YEAR_FILE: textwrap.dedent(body)}


def event(**fields: str) -> str:
    """A 2021.yaml with one event: the valid minimal event with ``fields`` overridden.

    A value of ``None`` removes the field. Field order is kept so lines are predictable:
    line 1 ``events:``, line 2 ``- date``, then title, observance, kind, participants, extras.
    """
    base = {
        "date": "2021-12-04",
        "title": "宪法宣传",
        "observance": "constitution-day",
        "kind": "lecture",
        "participants": "120",
    }
    base.update(fields)
    lines = ["events:"]
    for key, value in base.items():
        if value is None:
            continue
        lines.append(("  - " if len(lines) == 1 else "    ") + f"{key}: {value}")
    return "\n".join(lines) + "\n"


def check(path: Path, *args: str, timeout: float = 120) -> tuple[int, str, str]:
    """Run ``build.py check --content path [args]``; return (exit code, stdout, stderr)."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    proc = subprocess.run(
        [sys.executable, "build.py", "check", "--content", str(path), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
        env=env,
    )
    return proc.returncode, proc.stdout, proc.stderr


def problems(path: Path) -> list[ContentError]:
    """Load the content in-process; the sorted errors (``[]`` when it loads)."""
    try:
        load_content(path)
    except ContentErrors as exc:
        return exc.sorted()
    return []


def only(path: Path) -> ContentError:
    """The single problem of the content at ``path`` (fails when there are none or several)."""
    found = problems(path)
    assert len(found) == 1, "expected exactly one problem, got:\n" + "\n".join(map(str, found))
    return found[0]


def rel(site: Path, name: str) -> str:
    """The path of ``name`` inside ``site`` as ContentError.path shows it (from the cwd)."""
    from sitegen.errors import display_path

    return display_path(site / name)


@pytest.fixture
def site(tmp_path: Path):
    """``site(files)`` → the content folder of a minimal valid site with ``files`` overlaid."""
    return lambda files=None: make_site(tmp_path, files)
