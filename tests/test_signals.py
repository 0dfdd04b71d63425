"""Ctrl-C and SIGTERM on ``python build.py serve`` started the way an editor starts it.

The command is run with a bare interpreter (a fresh virtual environment without the project's
packages), so it goes through the bootstrap that re-runs it inside ``.venv``: the signal must reach
the real server, which stops without a traceback and frees its port.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX signals")


@pytest.fixture(scope="module")
def bare_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bare") / "venv"
    venv.EnvBuilder(with_pip=False).create(folder)
    python = folder / "bin" / "python"
    probe = subprocess.run([python, "-c", "import jinja2"], capture_output=True)
    assert probe.returncode != 0, "the bare interpreter must not have the project's packages"
    return python


def start_serve(python: Path) -> tuple[subprocess.Popen[str], int]:
    proc = subprocess.Popen(
        [python, "build.py", "serve", "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        errors="replace",
        env=dict(os.environ, PYTHONIOENCODING="utf-8"),
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        found = re.search(r"sitegen serve: http://127\.0\.0\.1:(\d+)/", line)
        if found:
            return proc, int(found[1])
    raise AssertionError(f"serve did not start (exit {proc.wait()})")


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_signal_stops_the_real_server(bare_python: Path, signum: int) -> None:
    proc, port = start_serve(bare_python)
    try:
        assert not port_is_free(port)
        proc.send_signal(signum)
        rest, _ = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert "Traceback" not in rest, rest
    assert port_is_free(port), "the server still holds the port"
    assert proc.returncode in (0, 130, -signum, 128 + signum), proc.returncode


def test_every_requirement_is_found_by_its_import_name() -> None:
    """The bootstrap tells an installed package by importing it: a requirement whose import name it gets
    wrong (pytest-xdist is ``xdist``) counts as missing forever, and the test command refuses to run."""
    import importlib.util

    from sitegen import bootstrap

    names = {r: bootstrap._import_name(r) for r in bootstrap.requirements(("test",))}
    assert not [r for r, name in names.items() if importlib.util.find_spec(name) is None]
