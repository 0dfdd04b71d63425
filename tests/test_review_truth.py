"""Review tells the truth: ``diff`` shows a revision's content errors (file:line, as ``check`` prints
them) and compares nothing it could not build; ``ci/pipeline.sh`` writes the diff when the check or
build fails; ``check --format gitlab`` writes GitLab's Code Quality report.

Everything runs for real: little git repositories, the command line, the POSIX script."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

import test_gitdiff
import test_workflows
from conftest import ROOT, YEAR_YAML, event, make_site
from sitegen.cli import main
from sitegen.review.diffreport import fenced
from test_gitdiff import TEMPLATES, commit, run_diff, section, write
from test_workflows import pipeline

repo = test_gitdiff.repo
"""Fixture: a git repository holding a small site, one commit on main."""
project = test_workflows.project
"""Fixture: a git repository with sitegen itself and a small site, as a CI clone."""

TYPO = event(partcipants="150")
"""The year file with one misspelt field (line 7, column 5): the content does not load."""

NOT_COMPARED = (
    "未比较：修改后 head 的内容无法加载，数据、活动、培训和新闻不作比较。 / Not compared: the content of the head "
    "could not be loaded, so no figures, events, trainings or news are compared."
)


def check_text(root: Path, monkeypatch, capsys) -> tuple[int, str]:
    """``check`` on the working tree, in-process: its exit code and what it printed (the problems)."""
    monkeypatch.chdir(root)
    code = main(["check"])
    return code, capsys.readouterr().out


def fenced_blocks(lines: list[str]) -> list[str]:
    """The text of every fenced code block in the report."""
    blocks, inside = [], None
    for line in lines:
        if inside is None and line.startswith("```"):
            inside = []
        elif inside is not None and line.startswith("```"):
            blocks.append("\n".join(inside))
            inside = None
        elif inside is not None:
            inside.append(line)
    return blocks


def no_item_rows(lines: list[str]) -> bool:
    """No figure rows and no event, training or news lines: nothing was compared item by item."""
    headings = ("### 数据 / Figures", "### 宣传活动 / Events", "### 学法培训 / Trainings", "### 普法动态 / News")
    return not any(line in headings for line in lines) and not any(line.startswith("| 演示单位") for line in lines)


# --------------------------------------------------------------------------- diff with a broken side


def test_head_with_a_typo_shows_the_problem_and_compares_nothing(repo, monkeypatch, capsys):
    write(repo, "units/demo/2021.yaml", TYPO)
    commit(repo, "a typo")
    code, printed = check_text(repo, monkeypatch, capsys)
    assert code == 1 and "content/units/demo/2021.yaml:7:5: error:" in printed

    code, lines = run_diff(repo, monkeypatch, capsys, "HEAD~1", "HEAD")
    assert code == 1
    assert any(line.startswith("> **修改后 head:** 内容有 1 个错误，无法构建") for line in lines)
    problems = section(lines, "### 修改后 head 的问题 / Problems in the head (1 error(s))")
    assert problems[0] == "```text" and problems[-1] == "```"
    [block] = fenced_blocks(lines)
    assert block == printed.strip()  # word for word what check prints, file:line:col first
    assert "sitegen-diff-" not in "\n".join(lines)  # no temporary folder in any path
    # Only what is known is compared: the files; not figures, items, translations or pages.
    assert section(lines, "### 内容文件 / Content files") == ["- 修改 changed: `units/demo/2021.yaml`"]
    assert no_item_rows(lines)
    state = section(lines, "### 数据与条目 / Figures and items")
    assert state[0] == NOT_COMPARED and len(state) == 2
    assert state[1].startswith("- 修改前 base: 1 个单位，1 个年度，2 条新闻；构建了 ")  # what is published now
    table = section(lines, "### 英文翻译覆盖率 / Translation coverage")
    assert table[2].endswith(" | — |") and not table[2].startswith("| 已翻译 translated | — |")
    assert section(lines, "### 页面 / Pages") == [
        "未比较：修改后 head 未能构建，页面不作比较 / Not compared: the head could not be built, so no pages are "
        "compared."
    ]
    assert not any("删除 removed" in line or "新增 added" in line for line in lines)


def test_base_with_errors_shows_the_head_as_it_is_not_as_all_added(repo, monkeypatch, capsys):
    write(repo, "units/demo/2021.yaml", TYPO)
    commit(repo, "a typo")
    write(repo, "units/demo/2021.yaml", YEAR_YAML.replace("participants: 120", "participants: 150"))
    commit(repo, "the typo fixed")

    code, lines = run_diff(repo, monkeypatch, capsys, "HEAD~1", "HEAD")
    assert code == 0  # the change itself builds
    assert any(line.startswith("> **修改前 base:** 内容有 1 个错误，无法构建") for line in lines)
    [block] = fenced_blocks(lines)
    assert block.startswith("content/units/demo/2021.yaml:7:5: error: ")
    assert no_item_rows(lines)
    state = section(lines, "### 数据与条目 / Figures and items")
    assert state[0].startswith("未比较：修改前 base 的内容无法加载")
    assert state[1].startswith("- 修改后 head: 1 个单位，1 个年度，2 条新闻；构建了 ")
    assert state[1].endswith(" pages built") and len(state) == 2
    table = section(lines, "### 英文翻译覆盖率 / Translation coverage")
    assert table[2].startswith("| 已翻译 translated | — | ") and not table[2].endswith("| — |")
    assert section(lines, "### 页面 / Pages")[0].startswith("未比较：修改前 base 未能构建")
    assert not any("新增 added" in line for line in lines)


def test_both_sides_broken(repo, monkeypatch, capsys):
    write(repo, "units/demo/2021.yaml", TYPO)
    commit(repo, "a typo")
    write(repo, "units/demo/2021.yaml", event(kind=None, observance=None))  # another mistake: no kind
    code, lines = run_diff(repo, monkeypatch, capsys, "HEAD")
    assert code == 1
    base, head = fenced_blocks(lines)
    assert base.startswith("content/units/demo/2021.yaml:7:5: error: ")
    assert head.startswith("content/units/demo/2021.yaml:") and "kind" in head
    assert "### 修改前 base 的问题 / Problems in the base (1 error(s))" in lines
    assert "### 修改后 head 的问题 / Problems in the head (1 error(s))" in lines
    assert section(lines, "### 数据与条目 / Figures and items")[0].startswith("未比较：修改前 base、修改后 head ")
    assert no_item_rows(lines)


def test_head_whose_site_cannot_be_built_still_compares_its_figures(repo, monkeypatch, capsys):
    write(repo, "units/demo/2021.yaml", YEAR_YAML.replace("participants: 120", "participants: 150"))
    (repo / "templates" / "base.html").write_text("{% block main %}{{ no_such_thing( }}{% endblock %}")
    code, lines = run_diff(repo, monkeypatch, capsys, "HEAD")  # the working tree: its templates are broken
    assert code == 1
    assert any(line.startswith("> **修改后 head:** 网站无法构建") for line in lines)
    [block] = fenced_blocks(lines)
    assert block.startswith("templates/base.html:1:")
    assert "| 演示单位 (demo) | 2021 | 现场参与 People present | 120 | 150 | +25% |" in lines  # content is known
    assert section(lines, "### 页面 / Pages")[0].startswith("未比较：修改后 head 未能构建")


def test_no_line_of_a_problem_can_close_its_fence():
    text = "a.yaml:1:1: error: x\n    title: ```` not code\n```"
    block = fenced(text)
    assert block[0] == "`````text" and block[-1] == "`````"
    assert block[1:-1] == text.splitlines()
    assert fenced("plain") == ["```text", "plain", "```"]


# --------------------------------------------------------------------------- ci/pipeline.sh


def test_pipeline_writes_the_diff_when_check_and_build_fail(project):
    year = project / "content" / "units" / "demo" / "2021.yaml"
    year.write_text(TYPO, encoding="utf-8")
    git = ["git", "-c", "user.name=CI", "-c", "user.email=ci@example.org", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "commit", "-q", "-am", "a typo"], cwd=project, check=True)

    report = "gl-code-quality-report.json"
    done = pipeline(project, "HEAD~1", SITEGEN_CHECK_FORMAT="gitlab", SITEGEN_CHECK_REPORT=report)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "== build" in done.stdout and "== diff against HEAD~1" in done.stdout
    diff = (project / "site-diff.md").read_text(encoding="utf-8")
    assert "content/units/demo/2021.yaml:7:5: error: " in diff and "Not compared: the content of the head" in diff
    assert "## 网站变更报告 / Site change report" in done.stdout  # shown in the log too
    assert "删除 removed" not in diff
    [issue] = json.loads((project / report).read_text(encoding="utf-8"))
    assert issue["location"] == {"path": "content/units/demo/2021.yaml", "lines": {"begin": 7}}
    assert "content/units/demo/2021.yaml:7:5: error: " in done.stderr  # and readable in the job log
    assert "failed (exit status 1)" in done.stdout


def test_pipeline_fails_with_the_first_failing_steps_status(project):
    (project / "content" / "units" / "demo" / "2021.yaml").write_text(TYPO, encoding="utf-8")
    done = pipeline(project, "HEAD", SITEGEN_CHECK_FORMAT="xml")  # check: usage error (2); build, diff: 1
    assert done.returncode == 2, done.stdout + done.stderr
    assert "== (exit status 2)" in done.stdout and "== (exit status 1)" in done.stdout
    assert (project / "site-diff.md").is_file()


# --------------------------------------------------------------------------- check --format gitlab

CODE_QUALITY_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "description": "GitLab Code Quality report (docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format)",
    "type": "array",
    "items": {
        "type": "object",
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "pattern": "^[0-9a-f]{40}$"},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "location": {
                "type": "object",
                "required": ["path", "lines"],
                "properties": {
                    "path": {"type": "string", "pattern": "^[^/]"},
                    "lines": {
                        "type": "object",
                        "required": ["begin"],
                        "properties": {"begin": {"type": "integer", "minimum": 1}},
                    },
                },
            },
        },
    },
}


def check_gitlab(cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "check", "--format", "gitlab"],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=300,
    )


@pytest.fixture
def broken_site(tmp_path: Path) -> Path:
    """A site with one error (the misspelt field) and one warning (site.yaml without an ICP number)."""
    make_site(tmp_path, {"units/demo/2021.yaml": TYPO})
    site = tmp_path / "content" / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("icp:", "# icp:"), encoding="utf-8")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    return tmp_path


def test_gitlab_code_quality_report(broken_site):
    done = check_gitlab(broken_site)
    assert done.returncode == 1, done.stderr
    issues = json.loads(done.stdout)
    jsonschema.validate(issues, CODE_QUALITY_SCHEMA)
    by_severity = {i["severity"]: i for i in issues}
    assert set(by_severity) == {"major", "minor"}
    error = by_severity["major"]
    assert error["location"] == {"path": "content/units/demo/2021.yaml", "lines": {"begin": 7}}
    assert "partcipants" in error["description"] and "Did you mean" in error["description"]
    assert by_severity["minor"]["location"]["path"] == "content/site.yaml"
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    assert "content/units/demo/2021.yaml:7:5: error: " in done.stderr  # the log stays readable
    again = json.loads(check_gitlab(broken_site).stdout)
    assert [i["fingerprint"] for i in again] == [i["fingerprint"] for i in issues]  # stable between runs


def test_gitlab_report_of_a_clean_site_is_an_empty_array(tmp_path):
    make_site(tmp_path)
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    done = check_gitlab(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout) == []
