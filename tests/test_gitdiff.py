"""``diff BASE [HEAD]`` on real little git repositories: the report's lines for commits that
add, change, delete and rename content, the working tree, and usage errors."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, YEAR_YAML, make_site
from sitegen.cli import main
from sitegen.content.values import Quantity
from sitegen.review.diffreport import NO_CHANGES, md
from sitegen.review.itemdiff import Item, match_items
from sitegen.review.sitediff import percent_change

TEMPLATES = ROOT / "templates"

NEWS_A = """\
---
title: 宪法宣传周活动
date: 2021-12-04 09:30
source: 某区委办公室
---

宪法宣传周期间开展了宣传活动。
"""

NEWS_B = """\
---
title: 民法典宣传月
date: 2021-05-20 10:00
source: 某区委办公室
---

民法典宣传月活动。
"""

YEAR_2022 = """\
events:
  - date: 2022-12-04
    title: 宪法日宣传
    observance: constitution-day
    kind: lecture
    participants: 300
"""

TRAINING = """\
trainings:
  - date: 2021-06-01
    kind: lecture
    title: 法治讲座
    participants: 40
"""


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=Editor", "-c", "user.email=editor@example.org", "-c", "commit.gpgsign=false", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def write(repo: Path, rel: str, text: str) -> None:
    path = repo / "content" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository holding a small site (content/ and templates/), one commit on main."""
    root = tmp_path / "repo"
    make_site(root, {"news/2021-12-04-constitution.zh.md": NEWS_A, "news/2021-05-20-civil-code.zh.md": NEWS_B})
    shutil.copytree(TEMPLATES, root / "templates")
    git(root, "init", "-q", "-b", "main")
    commit(root, "base")
    return root


def run_diff(repo: Path, monkeypatch, capsys, *revisions: str) -> tuple[int, list[str]]:
    monkeypatch.chdir(repo)
    report = repo.parent / "report.md"
    code = main(["diff", *revisions, "--output", str(report)])
    capsys.readouterr()
    return code, report.read_text(encoding="utf-8").splitlines() if report.exists() else []


# --------------------------------------------------------------------------- two commits


def test_a_commit_that_adds_changes_deletes_and_renames(repo, monkeypatch, capsys):
    # Change a figure, add an event and a training, add a year, translate a title.
    year = YEAR_YAML.replace("participants: 120", "participants: 150").replace(
        "title: 宪法宣传", "title:\n      zh: 宪法宣传\n      en: Constitution publicity"
    )
    year += "  - date: 2021-12-05\n    title: 法治讲座进社区\n    kind: lecture\n    participants: 80\n" + TRAINING
    write(repo, "units/demo/2021.yaml", year)
    write(repo, "units/demo/2022.yaml", YEAR_2022)
    # Delete one news item, rename the other's file and edit its text.
    (repo / "content/news/2021-05-20-civil-code.zh.md").unlink()
    git(repo, "mv", "content/news/2021-12-04-constitution.zh.md", "content/news/2021-12-04-constitution-week.zh.md")
    write(repo, "news/2021-12-04-constitution-week.zh.md", NEWS_A + "\n补充一段。\n")
    commit(repo, "change")

    code, lines = run_diff(repo, monkeypatch, capsys, "HEAD~1", "HEAD")
    assert code == 0
    assert lines[0] == "## 网站变更报告 / Site change report"
    head = git(repo, "rev-parse", "HEAD")[:10]
    assert lines[2].startswith("`HEAD~1 (") and lines[2].endswith(f")` → `HEAD ({head})`")
    assert NO_CHANGES not in lines
    assert section(lines, "### 内容文件 / Content files") == [
        "- 新增 added: `units/demo/2022.yaml`",
        "- 删除 removed: `news/2021-05-20-civil-code.zh.md`",
        "- 修改 changed: `units/demo/2021.yaml`",
        "- 重命名 renamed: `news/2021-12-04-constitution.zh.md` → `news/2021-12-04-constitution-week.zh.md`",
    ]
    figures = [line for line in lines if line.startswith("| 演示单位 (demo)")]
    assert figures == [
        "| 演示单位 (demo) | 2021 | 宣传活动 Publicity events | 1 | 2 | +100% |",
        "| 演示单位 (demo) | 2021 | 现场参与 People present | 120 | 230 | +91.7% |",
        "| 演示单位 (demo) | 2021 | 学法培训 Study and training sessions | — | 1 | 新增 new |",
        "| 演示单位 (demo) | 2021 | 培训人次 Training attendance | — | 40 | 新增 new |",
        "| 演示单位 (demo) | 2021 | 法治讲座 Lectures on the law | — | 1 | 新增 new |",
        "| 演示单位 (demo) | 2022 | 宣传活动 Publicity events | — | 1 | 新增 new |",
        "| 演示单位 (demo) | 2022 | 现场参与 People present | — | 300 | 新增 new |",
        # the period totals follow the registry's rules (sums here), so a reviewer sees the period change too
        "| 演示单位 (demo) | 八五普法 (bawu) 合计 total | 宣传活动 Publicity events | 1 | 3 | +200% |",
        "| 演示单位 (demo) | 八五普法 (bawu) 合计 total | 现场参与 People present | 120 | 530 | +341.7% |",
        "| 演示单位 (demo) | 八五普法 (bawu) 合计 total | 学法培训 Study and training sessions | — | 1 | 新增 new |",
        "| 演示单位 (demo) | 八五普法 (bawu) 合计 total | 培训人次 Training attendance | — | 40 | 新增 new |",
        "| 演示单位 (demo) | 八五普法 (bawu) 合计 total | 法治讲座 Lectures on the law | — | 1 | 新增 new |",
    ]
    assert section(lines, "### 宣传活动 / Events") == [
        "- 新增 added: 2021-12-05 **法治讲座进社区** (demo 2021)",
        "- 新增 added: 2022-12-04 **宪法日宣传** (demo 2022)",
        "- 修改 changed: 2021-12-04 **宪法宣传** (demo 2021): participants: 120 → 150; "
        "title: 宪法宣传 → 宪法宣传 / Constitution publicity",
    ]
    assert section(lines, "### 学法培训 / Trainings") == ["- 新增 added: 2021-06-01 **法治讲座** (demo 2021)"]
    assert section(lines, "### 普法动态 / News") == [
        "- 删除 removed: 2021-05-20 10:00 **民法典宣传月** (news)",
        "- 移动或重命名 moved/renamed: 2021-12-04 09:30 **宪法宣传周活动** (news): "
        "id: 2021-12-04-constitution → 2021-12-04-constitution-week; text\\_zh: 已修改 edited",
    ]
    coverage = section(lines, "### 英文翻译覆盖率 / Translation coverage")
    assert coverage[2].startswith("| 已翻译 translated | ")
    assert "新增的未翻译文本 / New texts without English:" in coverage
    assert "- `units/demo/2022.yaml` events\\[0\\].title: 宪法日宣传" in coverage
    assert "- `units/demo/2021.yaml` events\\[1\\].title: 法治讲座进社区" in coverage
    pages = section(lines, "### 页面 / Pages")
    added, removed = after(pages, "新增 added"), after(pages, "删除 removed")
    assert {"- `zh/units/demo/2022/`", "- `en/units/demo/2022/`", "- `zh/news/2021-12-04-constitution-week/`"} <= set(
        added
    )
    assert {"- `zh/news/2021-05-20-civil-code/`", "- `en/news/2021-12-04-constitution/`"} <= set(removed)
    assert "- `zh/units/demo/2021/`" in after(pages, "修改 changed")


def section(lines: list[str], heading: str) -> list[str]:
    """The non-empty lines under ``heading`` up to the next heading."""
    start = lines.index(heading) + 1
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("### ")), len(lines))
    return [line for line in lines[start:end] if line]


def after(lines: list[str], label: str) -> list[str]:
    """The list items under the line starting with ``label``."""
    start = next(i for i, line in enumerate(lines) if line.startswith(label)) + 1
    end = next((i for i in range(start, len(lines)) if not lines[i].startswith("- ")), len(lines))
    return lines[start:end]


def test_deleting_a_year_and_renaming_a_unit(repo, monkeypatch, capsys):
    write(repo, "units/demo/2022.yaml", YEAR_2022)
    commit(repo, "a second year")
    git(repo, "rm", "-q", "content/units/demo/2022.yaml")
    git(repo, "mv", "content/units/demo", "content/units/district-office")
    commit(repo, "delete 2022, rename the unit")

    code, lines = run_diff(repo, monkeypatch, capsys, "HEAD~1", "HEAD")
    assert code == 0
    assert section(lines, "### 内容文件 / Content files") == [
        "- 删除 removed: `units/demo/2022.yaml`",
        "- 重命名 renamed: `units/demo/2021.yaml` → `units/district-office/2021.yaml`",
        "- 重命名 renamed: `units/demo/unit.yaml` → `units/district-office/unit.yaml`",
    ]
    events = section(lines, "### 宣传活动 / Events")
    assert events == [
        "- 删除 removed: 2022-12-04 **宪法日宣传** (demo 2022)",
        "- 移动或重命名 moved/renamed: 2021-12-04 **宪法宣传** (district-office 2021): "
        "demo 2021 → district-office 2021",
    ]
    figures = [line for line in lines if line.startswith("| 演示单位")]
    assert "| 演示单位 (demo) | 2022 | 现场参与 People present | 300 | — | 删除 removed |" in figures
    assert "| 演示单位 (district-office) | 2021 | 现场参与 People present | — | 120 | 新增 new |" in figures
    removed = after(section(lines, "### 页面 / Pages"), "删除 removed")
    assert "- `zh/units/demo/2022/`" in removed and "- `en/units/demo/`" in removed


def test_working_tree_is_the_default_head(repo, monkeypatch, capsys):
    code, lines = run_diff(repo, monkeypatch, capsys, "HEAD")
    assert code == 0
    assert lines[2].endswith("→ `工作区 working tree`")
    assert NO_CHANGES in lines
    assert section(lines, "### 页面 / Pages") == ["构建的网站没有变化 / The built site is unchanged."]

    write(repo, "units/demo/2021.yaml", YEAR_YAML.replace("120", "1000余"))  # not committed
    code, lines = run_diff(repo, monkeypatch, capsys, "HEAD")
    assert "| 演示单位 (demo) | 2021 | 现场参与 People present | 120 | 1,000+ | ≈+733.3% |" in lines


def test_a_narrative_edit_is_a_content_change(repo, monkeypatch, capsys):
    write(repo, "units/demo/2021.zh.md", "本年度开展了宪法宣传。\n")
    code, lines = run_diff(repo, monkeypatch, capsys, "HEAD")
    assert code == 0 and NO_CHANGES not in lines
    assert section(lines, "### 内容文件 / Content files") == ["- 新增 added: `units/demo/2021.zh.md`"]
    assert "- `zh/units/demo/2021/`" in after(section(lines, "### 页面 / Pages"), "修改 changed")
    write(repo, "units/demo/2021.zh.md~", "an editor's backup is not content\n")
    commit(repo, "narrative")
    code, lines = run_diff(repo, monkeypatch, capsys, "HEAD")
    assert NO_CHANGES in lines


def test_report_on_stdout_for_the_job_summary(repo, monkeypatch, capsys):
    monkeypatch.chdir(repo)
    assert main(["diff", "main"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("## 网站变更报告 / Site change report\n") and NO_CHANGES in out


def test_base_without_content_and_base_templates_that_no_longer_work(tmp_path, monkeypatch, capsys):
    root = tmp_path / "repo"
    (root / "templates").mkdir(parents=True)
    (root / "templates" / "base.html").write_text("{% block main %}{{ no_such_thing( }}{% endblock %}")
    git(root, "init", "-q", "-b", "main")
    commit(root, "templates only")
    shutil.rmtree(root / "templates")
    shutil.copytree(TEMPLATES, root / "templates")
    make_site(root)
    commit(root, "the site")

    code, lines = run_diff(root, monkeypatch, capsys, "HEAD~1", "HEAD")
    assert code == 0
    assert "> **修改前 base:** 这个版本中还没有 content/ / There is no content/ in this revision." in lines
    assert section(lines, "### 宣传活动 / Events") == ["- 新增 added: 2021-12-04 **宪法宣传** (demo 2021)"]
    assert "- `zh/units/demo/2021/`" in after(section(lines, "### 页面 / Pages"), "新增 added")

    # The base has content now, but its templates are broken for this sitegen: built with ours.
    write(root, "units/demo/2021.yaml", YEAR_YAML.replace("120", "121"))
    (root / "templates" / "base.html").write_text("{% block main %}{{ no_such_thing( }}{% endblock %}")
    commit(root, "broken templates")
    shutil.rmtree(root / "templates")
    shutil.copytree(TEMPLATES, root / "templates")
    write(root, "units/demo/2021.yaml", YEAR_YAML)
    code, lines = run_diff(root, monkeypatch, capsys, "HEAD")
    assert code == 0
    assert (
        "> 修改前 base: 这个版本的模板不适用于当前的 sitegen，改用工作区的模板构建 / "
        "its templates do not work with this sitegen: built with the working tree's templates."
    ) in lines
    assert "| 演示单位 (demo) | 2021 | 现场参与 People present | 121 | 120 | -0.8% |" in lines


def test_head_with_content_errors_fails_with_exit_1(repo, monkeypatch, capsys):
    write(repo, "units/demo/2021.yaml", "events:\n  - date: 2021-12-04\n    title: 宪法宣传\n")  # no kind
    code, lines = run_diff(repo, monkeypatch, capsys, "HEAD")
    assert code == 1
    assert any(line.startswith("> **修改后 head:** 内容有 1 个错误") for line in lines)


# --------------------------------------------------------------------------- usage errors


def run_cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *args], cwd=cwd, capture_output=True, text=True, env=env
    )


def test_unknown_revision_is_a_usage_error(repo):
    done = run_cli(repo, "diff", "no-such-branch")
    assert done.returncode == 2
    assert 'git does not know the revision "no-such-branch"' in done.stderr and "找不到版本" in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""


def test_outside_a_git_repository_is_a_usage_error(tmp_path):
    make_site(tmp_path)
    done = run_cli(tmp_path, "diff", "main")
    assert done.returncode == 2
    assert "is not in a git repository" in done.stderr and "Traceback" not in done.stderr


# --------------------------------------------------------------------------- pieces


def test_percent_change():
    q = Quantity.of
    assert percent_change(q(120), q(150)) == "+25%"
    assert percent_change(q(3), q(1)) == "-66.7%"
    assert percent_change(q(100, "more_than"), q(150)) == "≈+50%"
    assert percent_change(None, q(1)) == "新增 new"
    assert percent_change(q(1), None) == "删除 removed"
    assert percent_change(q(0), q(5)) == ""


def test_matching_prefers_ids_then_date_and_title():
    def item(where, ident, day, title, **fields):
        return Item(where, ident, day, title, {"title": title, "date": day, **fields})

    old = [item("u 2021", "a", "2021-01-01", "甲"), item("u 2021", None, "2021-02-01", "乙", n=1)]
    new = [item("u 2021", "a", "2021-01-01", "甲改"), item("u 2021", None, "2021-02-02", "乙", n=1)]
    changes = list(match_items(old, new))
    assert [(c.kind, c.title, c.details) for c in changes] == [
        ("changed", "甲改", ("title: 甲 → 甲改",)),
        ("changed", "乙", ("date: 2021-02-01 → 2021-02-02",)),
    ]


def test_markdown_from_content_is_escaped():
    assert md("<img src=x> [link](javascript:x) | @team\n*bold*") == (
        "\\<img src=x\\> \\[link\\](javascript:x) \\| \\@team \\*bold\\*"
    )
