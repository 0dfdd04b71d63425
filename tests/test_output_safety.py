"""Issue 13, part 1: sitegen never removes or replaces what is not its own output.

Every command that writes a folder or a file (``build``, ``serve --output``, ``schema``,
``diff --output``) refuses a dangerous place with exit 2 and a message in Chinese and English,
before anything is touched: each test checks that every file of a small project is still
there, byte for byte. The project is real folders in ``tmp_path`` (content, templates, a
``.git``, ``pyproject.toml``, ``build.py``); the commands run through ``sitegen.cli.main`` or,
for the worst cases, as a real subprocess.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, make_site
from sitegen import cli
from sitegen.preview.livebuild import LiveBuilder
from sitegen.site import pipeline
from sitegen.site.outputguard import MARKER, MARKER_BYTES, UnsafeOutput, check_output
from sitegen.site.writer import write_site

TEMPLATES = ROOT / "templates"


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file (its bytes) and folder (None) under ``folder``, symlinks not followed."""
    found: dict[str, bytes | None] = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames:
            found[os.path.relpath(os.path.join(dirpath, name), folder)] = None
        for name in filenames:
            path = Path(dirpath, name)
            found[os.path.relpath(path, folder)] = (
                os.readlink(path).encode() if path.is_symlink() else path.read_bytes()
            )
    return found


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A site repository in ``tmp_path/project`` (the working folder), with a home folder beside it."""
    root = tmp_path / "project"
    make_site(root)
    shutil.copytree(TEMPLATES, root / "templates")
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (root / "pyproject.toml").write_text("[project]\nname = 'site'\n")
    (root / "build.py").write_text("print('build')\n")
    (root / "notes.txt").write_text("会议记录\n", encoding="utf-8")
    (root / "docs").mkdir()
    (root / "docs" / "guide.md").write_text("# 指南\n", encoding="utf-8")
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    (home / "Documents" / "report.docx").write_bytes(b"PK\x03\x04 report")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def no_build(monkeypatch: pytest.MonkeyPatch) -> None:
    """A refusal must come before the build: a build (or a server) that starts fails the test."""

    def fail(*args, **kwargs):
        raise AssertionError("the command went ahead instead of refusing")

    monkeypatch.setattr(pipeline, "build", fail)
    monkeypatch.setattr("sitegen.preview.devserver.serve", fail)
    monkeypatch.setattr("sitegen.review.gitdiff.diff", fail)
    monkeypatch.setattr("sitegen.content.schema.write_schemas", fail)


def refused(capsys: pytest.CaptureFixture[str], argv: list[str], *phrases: str) -> str:
    """Run the command line; it must exit 2 with a Chinese and an English message."""
    assert cli.main(argv) == 2
    said = capsys.readouterr()
    text = said.out + said.err
    assert "未做任何改动" in text and "Nothing was changed" in text, text
    for phrase in phrases:
        assert phrase in text, (phrase, text)
    return text


# --------------------------------------------------------------------------- build and serve refuse


DANGEROUS = [
    (".", "is the current folder"),
    ("docs/..", "is the current folder"),
    ("content", "overlaps the content folder"),
    ("content/units", "overlaps the content folder"),
    ("content/units/demo/new", "overlaps the content folder"),
    ("templates", "overlaps the templates folder"),
    ("templates/assets", "overlaps the templates folder"),
    ("docs", "was not written by sitegen"),
    ("notes.txt", "is an existing file"),
    ("build.py", "is an existing file"),
    ("..", "refusing to replace it"),
]


@pytest.mark.usefixtures("no_build")
@pytest.mark.parametrize(("output", "phrase"), DANGEROUS)
@pytest.mark.parametrize("command", ["build", "serve"])
def test_a_dangerous_output_is_refused(
    project: Path, capsys: pytest.CaptureFixture[str], command: str, output: str, phrase: str
) -> None:
    before = snapshot(project.parent)
    refused(capsys, [command, "--output", output], phrase)
    assert snapshot(project.parent) == before


@pytest.mark.usefixtures("no_build")
def test_the_home_folder_and_what_holds_it_are_refused(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = Path(os.environ["HOME"])
    before = snapshot(project.parent)
    refused(capsys, ["build", "--output", str(home)], "is the home folder", "主文件夹")
    refused(capsys, ["build", "--output", str(home.parent)], "holds the home folder")
    assert snapshot(project.parent) == before


@pytest.mark.usefixtures("no_build")
def test_the_root_folder_is_refused(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project.parent / "to-root").symlink_to("/")
    refused(capsys, ["build", "--output", "/"], "root folder", "根目录")
    refused(capsys, ["build", "--output", str(project.parent / "to-root")], "root folder")


@pytest.mark.usefixtures("no_build")
def test_symlinks_and_dots_are_resolved_first(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outside = project.parent / "elsewhere"
    outside.mkdir()
    (outside / "to-content").symlink_to(project / "content")
    (outside / "to-project").symlink_to(project)
    (outside / "to-units").symlink_to(project / "content" / "units")  # its .. is content/, not elsewhere/
    before = snapshot(project.parent)
    refused(capsys, ["build", "--output", str(outside / "to-content")], "overlaps the content folder")
    refused(capsys, ["build", "--output", str(outside / "to-content" / "units")], "overlaps the content folder")
    refused(capsys, ["build", "--output", str(outside / "to-project")], "is the current folder")
    refused(capsys, ["build", "--output", "docs/../templates/../content"], "overlaps the content folder")
    refused(capsys, ["build", "--output", str(outside / "to-units" / ".." / "site")], "overlaps the content folder")
    assert snapshot(project.parent) == before


@pytest.mark.usefixtures("no_build")
@pytest.mark.parametrize("name", [".git", "pyproject.toml", "build.py", "site.yaml", "content", "templates"])
def test_a_project_folder_elsewhere_is_refused(project: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    other = project.parent / "other-repo"
    (other / name).parent.mkdir(parents=True, exist_ok=True)
    if name.endswith((".toml", ".py", ".yaml")):
        (other / name).write_text("x\n")
    else:
        (other / name).mkdir()
    (other / MARKER).write_bytes(MARKER_BYTES)  # even a marker does not make a project an output
    before = snapshot(project.parent)
    refused(capsys, ["build", "--output", str(other)], "project or content folder", name)
    assert snapshot(project.parent) == before


@pytest.mark.usefixtures("no_build")
def test_a_folder_inside_another_content_folder_is_refused(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = make_site(project.parent / "second")  # not the --content of this build
    before = snapshot(project.parent)
    refused(capsys, ["build", "--output", str(other / "units" / "site")], "inside the content folder")
    assert snapshot(project.parent) == before


@pytest.mark.usefixtures("no_build")
def test_an_output_holding_the_content_given_is_refused(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site(project.parent / "x")
    before = snapshot(project.parent)
    refused(capsys, ["build", "--content", str(site), "--output", str(site)], "overlaps the content folder")
    refused(capsys, ["build", "--content", str(site), "--output", str(site.parent)], "overlaps the content folder")
    assert snapshot(project.parent) == before


@pytest.mark.parametrize("output", [".", "content", "templates", "..", "notes.txt"])
def test_the_real_command_refuses_in_a_subprocess(project: Path, output: str) -> None:
    before = snapshot(project.parent)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run(
        [sys.executable, "-m", "sitegen.cli", "build", "--output", output],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert "Nothing was changed" in done.stdout and "Traceback" not in done.stdout + done.stderr
    assert snapshot(project.parent) == before


def test_a_leftover_in_the_way_that_is_not_ours_is_refused(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / ".output.staging").mkdir()
    (project / ".output.staging" / "keep.txt").write_text("mine\n")
    before = snapshot(project.parent)
    refused(capsys, ["build", "--templates", str(TEMPLATES)], "in the way of sitegen's staging folder")
    assert snapshot(project.parent) == before


# --------------------------------------------------------------------------- what is accepted


def test_an_earlier_sitegen_output_without_marker_is_replaced_and_marked(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = project / "output"
    for name in ("index.html", "zh/index.html", "en/index.html", "assets/site.css", "sitemap.xml", "404.html"):
        (old / name).parent.mkdir(parents=True, exist_ok=True)
        (old / name).write_text("old\n")
    (old / "Thumbs.db").write_bytes(b"\0")
    assert cli.main(["build"]) == 0
    capsys.readouterr()
    assert (old / MARKER).read_bytes() == MARKER_BYTES
    assert (old / "zh" / "index.html").read_text(encoding="utf-8") != "old\n"
    assert not (old / "Thumbs.db").exists()
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".output")) == []


def test_a_marked_output_is_replaced_and_an_empty_folder_is_used(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = project / "public"
    empty.mkdir()
    assert cli.main(["build", "--output", "public"]) == 0
    assert (empty / "zh" / "index.html").is_file() and (empty / MARKER).is_file()
    (empty / "stray.txt").write_text("left by hand\n")
    assert cli.main(["build", "--output", "public"]) == 0
    capsys.readouterr()
    assert not (empty / "stray.txt").exists()  # the marker says: keep nothing else here


def test_a_new_output_inside_the_project_is_fine(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(project)
    assert cli.main(["build", "--output", "site/out"]) == 0
    capsys.readouterr()
    after = snapshot(project)
    assert {k: v for k, v in after.items() if not k.startswith("site")} == before


# --------------------------------------------------------------------------- every writer goes through the guard


def test_write_site_itself_refuses(project: Path) -> None:
    before = snapshot(project.parent)
    for target in (project, project / "docs", project / "notes.txt", project / "content", Path("/")):
        with pytest.raises(UnsafeOutput):
            write_site({"index.html": b"x"}, target)
    with pytest.raises(UnsafeOutput):
        write_site({"index.html": b"x"}, project / "out", content=project / "out" / "..")
    assert snapshot(project.parent) == before
    assert check_output(project / "new") == project / "new"


def test_serve_refuses_to_write_into_content_later_too(project: Path) -> None:
    """``serve``'s build thread writes through the same guard: a refusal is told, nothing written."""
    said: list[str] = []
    before = snapshot(project.parent)
    folders = (project / "content", project / "templates")
    live = LiveBuilder(*folders, publish=print, stale=print, out=said.append, output=project / "content" / "site")
    shown = live.build_now()
    assert shown.files and not shown.problems
    assert any("overlaps the content folder" in line for line in said), said
    assert snapshot(project.parent) == before


# --------------------------------------------------------------------------- schema and diff


@pytest.mark.usefixtures("no_build")
def test_schema_does_not_clobber_other_files(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "docs" / "site.schema.json").write_text("my notes, not a schema\n")
    before = snapshot(project.parent)
    refused(capsys, ["schema", "--output", "docs"], "is not a JSON Schema")
    refused(capsys, ["schema", "--output", "content"], "overlaps the content folder")
    refused(capsys, ["schema", "--output", "notes.txt"], "is an existing file")
    assert snapshot(project.parent) == before


def test_schema_rewrites_its_own_schemas_and_keeps_the_rest(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["schema", "--output", "docs"]) == 0
    assert cli.main(["schema", "--output", "docs"]) == 0
    capsys.readouterr()
    assert (project / "docs" / "guide.md").read_text(encoding="utf-8") == "# 指南\n"
    assert (project / "docs" / "site.schema.json").is_file()


@pytest.mark.usefixtures("no_build")
def test_diff_refuses_a_folder_or_a_file_of_the_project(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(project.parent)
    refused(capsys, ["diff", "HEAD", "--output", "docs"], "is a folder")
    refused(capsys, ["diff", "HEAD", "--output", "content/report.md"], "overlaps the content folder")
    refused(capsys, ["diff", "HEAD", "--output", "templates/base.html"], "overlaps the templates folder")
    refused(capsys, ["diff", "HEAD", "--output", "pyproject.toml"], "file of the project")
    refused(capsys, ["diff", "HEAD", "--output", ".git/config"], "file of the project")
    assert snapshot(project.parent) == before


@pytest.mark.parametrize("name", ["../escaped.html", "zh/../../escaped.html", "/etc/escaped", "zh\\x.html", "", MARKER])
def test_a_file_path_that_would_leave_the_output_is_refused(name: str, tmp_path: Path) -> None:
    from sitegen.errors import ContentErrors

    output = tmp_path / "site"
    with pytest.raises(ContentErrors, match="Unsafe output path"):
        write_site({"zh/index.html": b"<p>ok</p>", name: b"x"}, output)
    assert not output.exists() and sorted(os.listdir(tmp_path)) == []
    write_site({"zh/index.html": b"<p>ok</p>", "zh/a/b/c.html": b"c"}, output)
    assert (output / "zh" / "a" / "b" / "c.html").read_bytes() == b"c"
