"""Nothing outside ``content/`` (or ``templates/``) is ever read (issue 13).

A pull request could link a narrative to ``/proc/self/environ`` and publish the CI's secrets, link a
file to ``/dev/zero`` (memory runs out) or add a FIFO (the build hangs). Each case is a content error
naming the path, in ``build`` and in ``check``, with exit code 1, and the target is never read: the
builds run in a subprocess with a timeout, so a FIFO that is opened fails the test instead of hanging.
"""

from __future__ import annotations

import os
import shutil
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, check, make_site
from sitegen.content.safefs import listdir, read_bytes
from sitegen.errors import ContentErrors

SECRET = "s3cr3t-token-for-issue-13"
NARRATIVE = "units/demo/2021.zh.md"
TIMEOUT = 120
"""Seconds: not a timing assertion, a guard so that a build blocked on a FIFO fails instead of hanging."""

pytestmark = pytest.mark.skipif(os.name == "nt", reason="symbolic links, FIFOs and sockets: POSIX")


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``build.py args`` in a subprocess; (exit code, stdout, stderr)."""
    return subprocess.run(
        [sys.executable, "build.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=TIMEOUT,
        env=dict(env or os.environ, PYTHONIOENCODING="utf-8"),
    )


def build(content: Path, output: Path, templates: Path = ROOT / "templates", **env: str):
    args = ("build", "--content", str(content), "--output", str(output), "--templates", str(templates))
    return run(*args, env=dict(os.environ, **env))


def tree_text(folder: Path) -> str:
    """Every file under ``folder`` as text (empty if there is no folder)."""
    if not folder.exists():
        return ""
    return "\n".join(p.read_bytes().decode("utf-8", "replace") for p in sorted(folder.rglob("*")) if p.is_file())


def assert_refused(content: Path, tmp_path: Path, path: Path, *phrases: str, templates: Path = ROOT / "templates"):
    """``build`` and ``check`` both fail with exit code 1, naming ``path`` with ``phrases``."""
    done = build(content, tmp_path / "out", templates)
    said = done.stdout + done.stderr
    assert done.returncode == 1, said
    assert "Traceback" not in said and "MemoryError" not in said
    shown = path.as_posix()
    lines = [line for line in said.splitlines() if shown in line]
    assert lines, said
    assert all(p in said for p in phrases), said
    assert not (tmp_path / "out").exists()

    code, out, err = check(content, "--templates", str(templates), timeout=TIMEOUT)
    assert code == 1, out + err
    assert shown in out and "Traceback" not in out + err
    assert "Content OK" not in err
    return said


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return make_site(tmp_path)


def link(content: Path, rel: str, target: str | Path) -> Path:
    path = content / rel
    if path.exists() or path.is_symlink():
        path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(target)
    return path


# --------------------------------------------------------------------------- files linked out


def test_a_narrative_linked_to_proc_self_environ_publishes_no_secret(content: Path, tmp_path: Path) -> None:
    link(content, "units/demo/2021.en.md", "/proc/self/environ")
    done = build(content, tmp_path / "out", SECRET_TOKEN=SECRET)
    said = done.stdout + done.stderr
    assert done.returncode == 1, said
    assert (content / "units/demo/2021.en.md").as_posix() in said
    assert "symbolic link to outside the content folder" in said and "不会读取" in said
    assert SECRET not in said
    assert SECRET not in tree_text(tmp_path / "out")
    assert_refused(content, tmp_path, content / "units/demo/2021.en.md", "/proc/self/environ")


def test_a_year_file_linked_to_etc_passwd(content: Path, tmp_path: Path) -> None:
    link(content, "units/demo/2021.yaml", "/etc/passwd")
    said = assert_refused(content, tmp_path, content / "units/demo/2021.yaml", "/etc/passwd", "is not read")
    assert "root:" not in said


def test_a_file_linked_outside_the_repository(content: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere" / "site.yaml"
    outside.parent.mkdir()
    outside.write_text((content / "site.yaml").read_text(encoding="utf-8").replace("某区", "OUTSIDE"), "utf-8")
    link(content, "site.yaml", outside)
    said = assert_refused(content, tmp_path, content / "site.yaml", "symbolic link to outside the content folder")
    assert "site.yaml is missing" not in said


def test_a_unit_folder_linked_outside(content: Path, tmp_path: Path) -> None:
    outside = make_site(tmp_path / "other") / "units" / "demo"
    (outside / "unit.yaml").write_text("name: OUTSIDE-UNIT\n", encoding="utf-8")
    link(content, "units/evil", outside)
    said = assert_refused(content, tmp_path, content / "units/evil", "symbolic link to outside")
    assert "OUTSIDE-UNIT" not in said + tree_text(tmp_path / "out")
    assert "units/evil/" not in said  # refused as a folder: nothing in it is looked at


def test_the_units_folder_linked_outside(content: Path, tmp_path: Path) -> None:
    outside = make_site(tmp_path / "other") / "units"
    shutil.rmtree(content / "units")
    link(content, "units", outside)
    said = assert_refused(content, tmp_path, content / "units", "symbolic link to outside")
    assert "units/demo" not in said  # refused once, as a folder: nothing under it is looked at


def test_dev_zero_is_never_read(content: Path, tmp_path: Path) -> None:
    link(content, NARRATIVE, "/dev/zero")
    assert_refused(content, tmp_path, content / NARRATIVE, "/dev/zero", "不会读取")


def test_a_dangling_link(content: Path, tmp_path: Path) -> None:
    link(content, NARRATIVE, "2021.missing.md")
    assert_refused(content, tmp_path, content / NARRATIVE, "2021.missing.md", "does not exist")


def test_a_link_that_loops(content: Path, tmp_path: Path) -> None:
    link(content, NARRATIVE, "2021.zh.md")
    assert_refused(content, tmp_path, content / NARRATIVE, "does not exist (or the link loops)")


# --------------------------------------------------------------------------- special files


def test_a_fifo_does_not_hang_the_build(content: Path, tmp_path: Path) -> None:
    os.mkfifo(content / NARRATIVE)
    assert_refused(content, tmp_path, content / NARRATIVE, "named pipe (FIFO)", "不是普通文件")


def test_a_link_inside_to_a_fifo_is_refused_too(content: Path, tmp_path: Path) -> None:
    os.mkfifo(content / "units/demo/pipe")
    link(content, NARRATIVE, "pipe")
    assert_refused(content, tmp_path, content / NARRATIVE, "named pipe (FIFO)")


def test_a_socket(content: Path, tmp_path: Path) -> None:
    path = content / "units/demo/2021.en.md"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        assert_refused(content, tmp_path, path, "is a socket")


def test_a_device_file(content: Path, tmp_path: Path) -> None:
    try:
        os.mknod(content / NARRATIVE, stat.S_IFCHR | 0o600, os.makedev(1, 5))  # /dev/zero's numbers
    except PermissionError:
        pytest.skip("creating a device file needs root")
    assert_refused(content, tmp_path, content / NARRATIVE, "is a device file")


# --------------------------------------------------------------------------- templates


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    folder = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", folder)
    return folder


def test_a_template_linked_outside_the_templates_folder(content: Path, tmp_path: Path, templates: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    link(templates, "robots.txt", secret)
    said = assert_refused(content, tmp_path, templates / "robots.txt", templates=templates)
    assert "symbolic link to outside the templates folder" in said
    assert SECRET not in said + tree_text(tmp_path / "out")


def test_an_included_partial_linked_outside(content: Path, tmp_path: Path, templates: Path) -> None:
    partial = sorted((templates / "partials").iterdir())[0]
    outside = tmp_path / "partial.html"
    outside.write_text(SECRET, encoding="utf-8")
    link(templates, f"partials/{partial.name}", outside)
    said = assert_refused(content, tmp_path, partial, templates=templates)
    assert SECRET not in said


def test_an_asset_linked_outside(content: Path, tmp_path: Path, templates: Path) -> None:
    link(templates, "assets/site.css", "/etc/passwd")
    said = assert_refused(content, tmp_path, templates / "assets/site.css", "/etc/passwd", templates=templates)
    assert "root:" not in said


# --------------------------------------------------------------------------- what is allowed


def test_a_link_that_stays_inside_the_content_folder_is_followed(content: Path, tmp_path: Path) -> None:
    (content / "units/demo/2021.zh.md").write_text("共用的年度总结。\n", encoding="utf-8")
    link(content, "units/demo/2021.en.md", "2021.zh.md")
    done = build(content, tmp_path / "out")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "共用的年度总结" in (tmp_path / "out/en/units/demo/2021/index.html").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- safefs itself


def test_reads_are_bounded_whatever_stat_says(tmp_path: Path) -> None:
    """/proc files have a size of 0: the limit holds on the bytes read, not on stat."""
    proc = Path("/proc/self/environ")
    assert proc.stat().st_size == 0
    with pytest.raises(ContentErrors) as caught:
        read_bytes(proc, Path("/proc/self"), 4)
    assert "too large" in caught.value.errors[0].en
    big = tmp_path / "big.yaml"
    big.write_bytes(b"x" * 11)
    assert read_bytes(big, tmp_path, 11) == b"x" * 11
    with pytest.raises(ContentErrors):
        read_bytes(big, tmp_path, 10)


def test_listing_names_what_it_leaves_out(tmp_path: Path) -> None:
    (tmp_path / "ok.yaml").write_text("a: 1\n", encoding="utf-8")
    (tmp_path / "inside.yaml").symlink_to("ok.yaml")
    (tmp_path / "out.yaml").symlink_to("/etc/hostname")
    os.mkfifo(tmp_path / "pipe.yaml")
    found, refused = listdir(tmp_path, tmp_path)
    assert [p.name for p in found] == ["inside.yaml", "ok.yaml"]
    assert sorted(p.name for p in refused) == ["out.yaml", "pipe.yaml"]


# --------------------------------------------------------------------------- serve


WATCH = """
import sys
from pathlib import Path
from sitegen.preview.incremental import SiteBuilder, templates_digest
from sitegen.errors import ContentErrors
from sitegen.preview.watcher import Watcher

content, templates, pipe, outside = map(Path, sys.argv[1:])
watcher = Watcher([content, templates])
pipe.unlink()
import os
os.mkfifo(pipe)  # seen as changed, so also compared by content: must not be opened
print("changed", sorted(p.name for p in watcher.poll()))
(outside / "unit.yaml").write_text("name: changed\\n", encoding="utf-8")
print("outside", sorted(p.name for p in watcher.poll()))
print("walked", any("evil/" in p for p in watcher.scan()))
try:
    SiteBuilder(content, templates).build()
except ContentErrors as exc:
    print("errors", *sorted({e.en.split(";")[0] for e in exc.errors}), sep="\\n")
print("digest", len(templates_digest(templates)))
"""


def test_serve_neither_opens_fifos_nor_follows_links_out(content: Path, tmp_path: Path, templates: Path) -> None:
    outside = make_site(tmp_path / "OUTSIDE") / "units" / "demo"
    link(content, "units/evil", outside)
    os.mkfifo(templates / "partials" / "pipe.html")  # unused: the templates' digest must not open it
    pipe = content / NARRATIVE
    pipe.write_text("年度总结。\n", encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    args = [sys.executable, "-c", WATCH, str(content), str(templates), str(pipe), str(outside)]
    done = subprocess.run(args, capture_output=True, text=True, timeout=TIMEOUT, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "changed ['2021.zh.md']" in done.stdout
    assert "outside []" in done.stdout and "walked False" in done.stdout
    assert '"2021.zh.md" is a named pipe (FIFO), not a regular file' in done.stdout
    assert '"evil" is a symbolic link to outside the content folder' in done.stdout
    assert "digest 20" in done.stdout
