"""What users bring from MkDocs, Hugo and Pelican: --version, -m, -q/-v, short flags, options
anywhere, one base-URL rule, colour and a progress line only on a terminal."""

from __future__ import annotations

import io
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, make_site
from sitegen import __version__, console
from sitegen.cliargs import parser
from sitegen.errors import make_error

ENV = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "CI")}


def run(*args: str, env: dict[str, str] | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        cwd=cwd,
        env={**ENV, "PYTHONIOENCODING": "utf-8", **(env or {})},
    )


def on_terminal(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    """Run build.py with a pseudo-terminal as stdout and stderr; (exit code, what the terminal showed)."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), *args],
        stdout=follower,
        stderr=follower,
        cwd=ROOT,
        env={**ENV, "PYTHONIOENCODING": "utf-8", **(env or {})},
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:  # the terminal closed: the program ended
            break
        if not data:
            break
        chunks.append(data)
    os.close(leader)
    return proc.wait(timeout=60), b"".join(chunks).decode("utf-8", "replace")


def test_version_from_build_py_and_python_m() -> None:
    assert run("--version").stdout.strip() == f"sitegen {__version__}"
    proc = subprocess.run(
        [sys.executable, "-m", "sitegen", "--version"],
        capture_output=True,
        text=True,
        env={**ENV, "PYTHONPATH": str(ROOT / "src")},
    )
    assert proc.returncode == 0 and proc.stdout.strip() == f"sitegen {__version__}"


def test_quiet_build_prints_nothing_and_verbose_prints_timings(tmp_path: Path) -> None:
    quiet = run("build", "-q", "-o", str(tmp_path / "out"))
    assert quiet.returncode == 0 and quiet.stdout == "" and quiet.stderr == "", quiet.stderr
    before = run("-q", "build", "-o", str(tmp_path / "out"))  # before the command too
    assert before.returncode == 0 and before.stderr == ""
    again = run("build", "--output", str(tmp_path / "again"), "-v")  # the files the first build wrote, linked back
    assert again.returncode == 0 and "write " in again.stderr and "render " not in again.stderr, again.stderr
    loud = run("build", "--output", str(tmp_path / "loud"), "-v", "--no-cache")  # (with the cache: nothing to render)
    assert loud.returncode == 0 and re.search(r"built \d+ pages", loud.stderr) and "render " in loud.stderr


def test_short_flags_and_options_after_positionals() -> None:
    args = parser().parse_args(["serve", "-p", "0", "-c", "site/content", "-o", "out"])
    assert (args.port, args.content, args.output) == (0, Path("site/content"), Path("out"))
    args = parser().parse_args(["new", "year", "demo", "2026", "-c", "x"])
    assert (args.unit, args.year, args.content) == ("demo", 2026, Path("x"))
    args = parser().parse_args(["diff", "origin/main", "-o", "report.md", "-q"])
    assert (args.base, args.output, args.quiet) == ("origin/main", Path("report.md"), True)


@pytest.mark.parametrize("value", ["owner.github.io/repo", "www.example.gov.cn/pufa/", "ftp://x/"])
def test_one_rule_for_the_base_url_from_flag_and_from_site_yaml(tmp_path: Path, value: str) -> None:
    flag = run("build", "--base-url", value, "-o", str(tmp_path / "out"))
    assert flag.returncode == 2 and "is not a complete web address" in flag.stderr
    site = make_site(tmp_path)
    text = (site / "site.yaml").read_text(encoding="utf-8")
    lines = [f"base_url: {value}" if line.startswith("base_url:") else line for line in text.splitlines()]
    (site / "site.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    from_yaml = run("check", "--content", str(site))
    assert from_yaml.returncode == 1 and "is not a complete web address" in from_yaml.stdout
    assert not (tmp_path / "out").exists()


def test_a_good_base_url_gets_its_slash_either_way() -> None:
    assert parser().parse_args(["build", "-b", "https://www.example.gov.cn/pufa"]).base_url.endswith("/pufa/")


def test_colour_only_on_a_terminal(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"units/demo/2021.yaml": "year: 2021\nevents:\n  - date： 2021-12-04\n"})
    piped = run("check", "--content", str(site))
    assert piped.returncode == 1 and "error" in piped.stdout and "\x1b[" not in piped.stdout + piped.stderr
    code, shown = on_terminal("check", "--content", str(site))
    assert code == 1 and "\x1b[1;31merror\x1b[0m" in shown
    code, shown = on_terminal("check", "--content", str(site), env={"NO_COLOR": "1"})
    assert code == 1 and "\x1b[" not in shown


def test_no_progress_line_in_ci_or_for_a_fast_build(tmp_path: Path) -> None:
    code, shown = on_terminal("build", "-o", str(tmp_path / "out"))
    assert code == 0 and "%|" not in shown  # the example builds in under two seconds: no bar
    code, shown = on_terminal("build", "-o", str(tmp_path / "out"), env={"CI": "true"})
    assert code == 0 and "%|" not in shown


def test_progress_line_shows_once_the_delay_has_passed(capsys: pytest.CaptureFixture[str]) -> None:
    assert list(console.progress(range(5), 5, "sitegen", enabled=True, delay=0)) == list(range(5))
    assert "sitegen:   0%|" in capsys.readouterr().err
    assert list(console.progress(range(5), 5, "sitegen", enabled=False, delay=0)) == list(range(5))
    assert capsys.readouterr().err == ""


def test_wants_colour_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    for name in ("NO_COLOR", "FORCE_COLOR", "CI", "TERM"):
        monkeypatch.delenv(name, raising=False)
    assert console.wants_colour(Tty()) is (os.name != "nt")
    assert console.wants_colour(io.StringIO()) is False
    monkeypatch.setenv("NO_COLOR", "1")
    assert console.wants_colour(Tty()) is False
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert console.wants_colour(io.StringIO()) is True
    error = make_error("content/site.yaml", 3, 1, "错", "wrong")
    from sitegen.errors import format_text

    assert "\x1b[" not in format_text(error) and "\x1b[1;31merror" in format_text(error, colour=True)
