"""The Windows double-click launchers: CRLF files whose command lines are real sitegen commands.

Windows itself cannot run here, so the test reads each ``.bat`` as ``cmd.exe`` would (CRLF lines),
takes the ``py -3 …`` command it runs and its ``python …`` fallback, and runs the same command line
with this interpreter in a copy of the repository's layout.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, make_site
from sitegen.cliargs import parser as _parser

LAUNCHERS = {"preview.bat": "serve", "check.bat": "check"}


def commands(bat: Path) -> list[list[str]]:
    """The sitegen command lines a launcher runs (``py -3`` and its ``python`` fallback)."""
    found = []
    for line in bat.read_bytes().decode("ascii").split("\r\n"):
        words = shlex.split(line.strip())
        if words[:2] == ["py", "-3"]:
            found.append(words[2:])
        elif words[:1] == ["python"]:
            found.append(words[1:])
    return found


@pytest.mark.parametrize("name", sorted(LAUNCHERS))
def test_launcher_is_crlf_ascii_and_starts_in_its_own_folder(name: str) -> None:
    data = (ROOT / name).read_bytes()
    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    data.decode("ascii")  # cmd.exe reads a .bat in the console's code page: ASCII is safe in all of them
    assert b'cd /d "%~dp0"' in data  # works when double-clicked from Explorer, paths with spaces too


@pytest.mark.parametrize("name", sorted(LAUNCHERS))
def test_launcher_runs_a_valid_sitegen_command(name: str) -> None:
    found = commands(ROOT / name)
    assert len(found) == 2 and found[0] == found[1], "py -3 and the python fallback run the same command"
    script, *args = found[0]
    assert script == "build.py" and args[0] == LAUNCHERS[name]
    parsed = _parser().parse_args(args)  # argparse exits (SystemExit) on a wrong command line
    assert parsed.command == LAUNCHERS[name]


def test_check_launcher_command_runs(tmp_path: Path) -> None:
    """The check launcher's command, run for real on a site with a mistake: a located message, no traceback."""
    site = make_site(tmp_path, {"units/demo/2021.yaml": "year: 2021\nevents:\n  - date： 2021-12-04\n"})
    script, *args = commands(ROOT / "check.bat")[0]
    proc = subprocess.run(
        [sys.executable, str(ROOT / script), *args, "--content", str(site)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        cwd=ROOT,  # the launcher changes to its own folder first
    )
    assert proc.returncode == 1, proc.stderr
    assert "2021.yaml:3" in proc.stdout and "Traceback" not in proc.stdout + proc.stderr
