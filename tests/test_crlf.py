"""The same bytes from any checkout: a Windows checkout (CRLF line ends) builds the same site.

Git for Windows checks text files out with CRLF by default (``core.autocrlf=true``). The
example's content, templates and assets are copied with every LF turned into CRLF, as such a
checkout has them, and both copies are built in memory and compared file by file.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from sitegen.site.pipeline import build

ROOT = Path(__file__).resolve().parents[1]
TEXT_SUFFIXES = {".yaml", ".yml", ".md", ".html", ".xml", ".txt", ".css", ".js", ".svg"}


def crlf_copy(source: Path, target: Path) -> int:
    """Copy ``source`` to ``target`` with CRLF line ends in text files; how many files changed."""
    shutil.copytree(source, target)
    changed = 0
    for path in target.rglob("*"):
        if path.is_file() and path.suffix in TEXT_SUFFIXES:
            data = path.read_bytes()
            crlf = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
            if crlf != data:
                path.write_bytes(crlf)
                changed += 1
    return changed


def test_crlf_checkout_builds_byte_identical(tmp_path: Path) -> None:
    assert crlf_copy(ROOT / "content", tmp_path / "content") > 50
    assert crlf_copy(ROOT / "templates", tmp_path / "templates") > 10
    lf = build(ROOT / "content", tmp_path / "unused", templates=ROOT / "templates", write=False).files
    crlf = build(tmp_path / "content", tmp_path / "unused", templates=tmp_path / "templates", write=False).files
    assert sorted(crlf) == sorted(lf)
    differing = [name for name in lf if lf[name] != crlf[name]]
    assert differing == []


@pytest.mark.skipif(shutil.which("git") is None, reason="git is needed to make a checkout")
def test_autocrlf_checkout_keeps_scripts_lf(tmp_path: Path) -> None:
    """``.gitattributes`` keeps shell and Python scripts LF and launchers CRLF in a Windows-style clone."""
    if subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True).returncode != 0:
        pytest.skip("not a git checkout")
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "-c", "core.autocrlf=true", "clone", "-q", "--config", "core.autocrlf=true", str(ROOT), str(clone)],
        check=True,
    )
    for script in ("ci/pipeline.sh", ".ci/run", "build.py", "tests/run.py"):
        if (clone / script).exists():
            assert b"\r\n" not in (clone / script).read_bytes(), script
    for launcher in clone.glob("*.bat"):
        assert launcher.read_bytes().count(b"\r\n") == launcher.read_bytes().count(b"\n"), launcher.name
    readme = (clone / "README.md").read_bytes()
    assert b"\r\n" in readme  # the clone really is a Windows-style checkout
    result = subprocess.run(["sh", "-n", str(clone / "ci/pipeline.sh")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert b"\r\n" in (clone / "content" / "site.yaml").read_bytes()
    # The committed example, checked out the Windows way, builds the same bytes as the same commit with LF.
    lf_clone = tmp_path / "lf"
    subprocess.run(["git", "-c", "core.autocrlf=false", "clone", "-q", str(ROOT), str(lf_clone)], check=True)
    crlf = build(clone / "content", tmp_path / "unused", templates=clone / "templates", write=False).files
    lf = build(lf_clone / "content", tmp_path / "unused", templates=lf_clone / "templates", write=False).files
    assert sorted(crlf) == sorted(lf) and [name for name in lf if lf[name] != crlf[name]] == []
