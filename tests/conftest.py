"""Shared helpers for the content-validation tests.

``make_site(tmp_path, files)`` writes a minimal valid site and overlays ``files`` on it
(in the style of MkDocs' ``tempdir(files=...)``): a ``str`` is written as UTF-8, ``bytes``
are written raw, and ``None`` deletes a file of the minimal site.

``check(path, *args)`` runs the real command line (``build.py check``) in a subprocess and
``check_json`` parses its ``--format json`` output; ``problems(path)`` loads the content
in-process and returns the sorted errors. ``expect(found, file, line, column, *phrases)``
picks the one problem a test is about from either.

The ``site`` fixture calls ``make_site`` on the test's ``tmp_path``: calling it twice in
one test overlays the second set of files on the first.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from sitegen.content.loader import load_content
from sitegen.errors import ContentError, ContentErrors

ROOT = Path(__file__).resolve().parents[1]
"""The repository root (where build.py lives)."""

# Hypothesis: a quick profile for every run, and ``SITEGEN_FUZZ=1`` for a long fuzzing session.
settings.register_profile("sitegen", max_examples=150, deadline=None)
settings.register_profile(
    "fuzz", max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
settings.load_profile("fuzz" if os.environ.get("SITEGEN_FUZZ") else "sitegen")

# A suite started in the background by a shell without job control (``tests/run.py &``, some CI runners)
# inherits Ctrl-C ignored, and so would every ``serve`` it starts: the tests that press Ctrl-C then hang.
# Ctrl-C is restored here as a terminal has it, for the suite and the commands it runs.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

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


def check_json(path: Path, *args: str) -> tuple[int, list[dict], str]:
    """Run ``check --format json``; return (exit code, the problems as dicts, stderr)."""
    code, out, err = check(path, "--format", "json", *args)
    assert "Traceback" not in out + err, out + err
    return code, (json.loads(out) if out.strip() else []), err


def problems(path: Path) -> list[ContentError]:
    """Load the content in-process; the sorted errors (``[]`` when it loads)."""
    try:
        load_content(path)
    except ContentErrors as exc:
        return exc.sorted()
    return []


def _as_dict(e: ContentError | dict) -> dict:
    return e if isinstance(e, dict) else asdict(e)


def _same_file(shown: str, file: str) -> bool:
    return shown.replace("\\", "/").endswith("content/" + file)


def expect(found: list, file: str, line: int, column: int | None, *phrases: str, severity: str = "error") -> dict:
    """The problem of ``found`` at ``file``:``line``(:``column``) whose message has every phrase.

    ``found`` holds ContentErrors or their JSON dicts; ``file`` is relative to the content
    folder (``units/demo/2021.yaml``); ``column=None`` accepts any column. A phrase may be
    English or Chinese: it is looked up in both messages.
    """
    for e in map(_as_dict, found):
        if not _same_file(e["path"], file) or e["line"] != line or e["severity"] != severity:
            continue
        if column is not None and e["column"] != column:
            continue
        text = e["zh"] + "\n" + e["en"]
        if all(p in text for p in phrases):
            return e
    listing = "\n".join(f"  {e['path']}:{e['line']}:{e['column']}: {e['en']} | {e['zh']}" for e in map(_as_dict, found))
    raise AssertionError(f"no {severity} at {file}:{line}:{column} with {phrases!r}; found:\n{listing}")


@pytest.fixture
def site(tmp_path: Path):
    """``site(files)`` → the content folder of a minimal valid site with ``files`` overlaid."""
    return lambda files=None: make_site(tmp_path, files)
