"""One error hierarchy, caught once by ``cli.main``; ``check`` and ``diff`` load once and build in memory."""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, make_site
from sitegen import cli
from sitegen.content import loader
from sitegen.errors import EXIT_CONTENT, EXIT_USAGE, ContentErrors, SitegenError, UsageError, make_error
from sitegen.preview.devserver import CannotListen, Options, serve
from sitegen.review import gitdiff
from sitegen.review.memorybuild import build_files
from sitegen.review.sitecheck import read_tree
from sitegen.site import pipeline, writer
from sitegen.site.outputguard import UnsafeOutput, WriteFault, fault
from sitegen.site.vendor import VendorError

TEMPLATES = ROOT / "templates"


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (ContentErrors([]), EXIT_CONTENT),
        (WriteFault([]), EXIT_CONTENT),
        (UnsafeOutput([]), EXIT_USAGE),
        (VendorError("npm is missing", "没有 npm"), EXIT_CONTENT),
        (gitdiff.UsageError("不是仓库", "not a repository"), EXIT_USAGE),
        (CannotListen("端口已被占用", "the port is taken"), EXIT_USAGE),
    ],
)
def test_every_error_has_the_one_root_and_its_exit_code(error: SitegenError, code: int) -> None:
    assert isinstance(error, SitegenError)
    assert error.exit_code == code


def test_an_error_keeps_both_languages() -> None:
    error = VendorError("npm is missing", "没有 npm")  # given English first, as vendor.py writes them
    assert (error.zh, error.en) == ("没有 npm", "npm is missing")
    assert str(error) == "没有 npm\nnpm is missing"
    located = ContentErrors([make_error("b.yaml", 2, 1, "乙", "B"), make_error("a.yaml", 1, 1, "甲", "A")])
    assert (located.zh, located.en) == ("甲\n乙", "A\nB")  # sorted by file and line


def raising(error: BaseException):
    def command(args) -> int:
        raise error

    return command


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (UsageError("找不到版本“x”。", 'git does not know the revision "x".'), 2),
        (VendorError("ECharts could not be downloaded:\nTo fix it, either:", "无法下载 ECharts"), 1),
    ],
)
def test_main_prints_an_error_as_the_command_and_both_languages(monkeypatch, capsys, error, code) -> None:
    monkeypatch.setitem(cli.COMMANDS, "build", raising(error))
    assert cli.main(["build"]) == code
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert lines[0] == f"sitegen build: {error.zh}"
    assert lines[1:] == ["    " + line for line in error.en.splitlines()]  # English below, every line indented
    assert captured.out == "" and "Traceback" not in captured.err


def test_main_prints_located_problems_in_the_asked_format(monkeypatch, capsys, tmp_path: Path) -> None:
    problem = make_error("content/site.yaml", 3, 5, "缺少网站名称", "The site name is missing")
    monkeypatch.setitem(cli.COMMANDS, "check", raising(ContentErrors([problem])))
    assert cli.main(["check", "--content", str(tmp_path), "--format", "github"]) == EXIT_CONTENT
    assert (
        capsys.readouterr().out.strip()
        == "::error file=content/site.yaml,line=3,col=5::缺少网站名称 / The site name is missing"
    )


def test_a_refused_folder_is_text_and_exit_2_whatever_the_format(monkeypatch, capsys, tmp_path: Path) -> None:
    refused = UnsafeOutput([make_error("output", 0, 0, "不能写入。未做任何改动。", "Refused. Nothing was changed.")])
    monkeypatch.setitem(cli.COMMANDS, "check", raising(refused))
    assert cli.main(["check", "--content", str(tmp_path), "--format", "json"]) == EXIT_USAGE
    out = capsys.readouterr().out
    assert out.startswith("output: error: 不能写入") and "Nothing was changed" in out


def test_an_os_error_is_a_fault_in_words(monkeypatch, capsys, tmp_path: Path) -> None:
    disk_full = OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "output"))
    monkeypatch.setitem(cli.COMMANDS, "build", raising(disk_full))
    assert cli.main(["build"]) == EXIT_CONTENT
    out = capsys.readouterr().out
    expected = fault(disk_full, tmp_path / "output", kept=False).errors[0]
    assert expected.en in out and "Traceback" not in out


def test_serve_on_a_taken_port_is_a_usage_error(capsys, tmp_path: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(CannotListen) as caught:
            serve(Options(tmp_path, TEMPLATES, "127.0.0.1", port))
    assert f"Port {port} on 127.0.0.1 is already in use" in caught.value.en and "已被占用" in caught.value.zh


# --------------------------------------------------------------------------- check and diff: in memory


@pytest.fixture
def counted_loads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every content folder loaded; writing or the whole-build recipe fail the test."""
    loads: list[Path] = []
    real = loader.load_content

    def load(folder: Path, *args, **kwargs):
        loads.append(Path(folder))
        return real(folder, *args, **kwargs)

    def no_write(*args, **kwargs):
        raise AssertionError("check and diff keep the built files in memory")

    monkeypatch.setattr(loader, "load_content", load)
    monkeypatch.setattr(gitdiff, "load_content", load)
    monkeypatch.setattr(pipeline, "load_content", load)
    monkeypatch.setattr(pipeline, "build", no_write)
    monkeypatch.setattr(writer, "write_site", no_write)
    return loads


def test_the_files_in_memory_are_the_files_a_build_writes(tmp_path: Path) -> None:
    content = make_site(tmp_path)
    written = pipeline.build(content, tmp_path / "output", templates=TEMPLATES)
    in_memory = build_files(loader.load_content(content), TEMPLATES)
    assert in_memory == read_tree(tmp_path / "output") == dict(sorted(written.files.items()))


def test_check_loads_the_content_once_and_writes_nothing(counted_loads, capsys, tmp_path: Path) -> None:
    content = make_site(tmp_path)
    assert cli.main(["check", "--content", str(content), "--templates", str(TEMPLATES)]) == 0
    assert counted_loads == [content]
    assert "site OK" in capsys.readouterr().err


def test_check_finds_a_broken_link_in_the_files_in_memory(counted_loads, capsys, tmp_path: Path) -> None:
    news = "---\ntitle: 新闻\ndate: 2021-05-20\nsource: 某区\n---\n\n[去](nowhere.html)\n"
    content = make_site(tmp_path, {"news/2021-05-20-x.zh.md": news})
    code = cli.main(["check", "--content", str(content), "--templates", str(TEMPLATES)])
    out = capsys.readouterr().out
    assert code == EXIT_CONTENT, out
    assert "nowhere.html" in out and "2021-05-20-x.zh.md" in out


def test_diff_loads_each_side_once_and_writes_no_site(counted_loads, monkeypatch, capsys, tmp_path: Path) -> None:
    import subprocess

    repo = tmp_path / "repo"
    make_site(repo)
    shutil.copytree(TEMPLATES, repo / "templates")
    identity = ["-c", "user.name=Editor", "-c", "user.email=editor@example.org", "-c", "commit.gpgsign=false"]
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "base"]):
        subprocess.run(["git", *identity, *args], cwd=repo, check=True, capture_output=True)
    (repo / "content" / "site.yaml").write_text(
        (repo / "content" / "site.yaml").read_text(encoding="utf-8") + "\n", encoding="utf-8"
    )
    monkeypatch.chdir(repo)
    assert cli.main(["diff", "main"]) == 0
    assert len(counted_loads) == 2  # the base (taken out of git) and the working tree, once each
    assert counted_loads[1].resolve() == (repo / "content").resolve()
    assert "site.yaml" in capsys.readouterr().out
