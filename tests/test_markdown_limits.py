"""Markdown under limits (issue 13): size, nesting and work are bounded, and nothing comes from another host.

Each bomb is built in a real content folder and checked by the real command line in a subprocess with a
memory limit and a generous timeout, so a regression fails the test instead of eating the machine. No test
asserts a duration: the timeout only stops a runaway.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, make_site
from sitegen.content.model import Markdown
from sitegen.errors import ContentErrors
from sitegen.site import mdlimits
from sitegen.site.markup import is_remote, render_text
from sitegen.site.mdlimits import check_limits
from sitegen.site.pipeline import build

NARRATIVE = "units/demo/2021.zh.md"
HEAD = "第一行 / First line.\n\n"
"""Every narrative here starts with a paragraph and a blank line: the payload starts on line 3."""
FIRST = 3
MEMORY = 1 << 30


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def run_check(content: Path) -> tuple[int, list[dict], str]:
    """``build.py check --format json`` under 1 GiB of memory: (exit code, problems, stderr)."""
    proc = subprocess.run(
        [sys.executable, "build.py", "check", "--content", str(content), "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=30,
        preexec_fn=_limit_memory,
    )
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr[-3000:]
    return proc.returncode, (json.loads(proc.stdout) if proc.stdout.strip() else []), proc.stderr


def narrative(tmp_path: Path, body: str) -> Path:
    return make_site(tmp_path, {NARRATIVE: HEAD + body})


BOMBS = {
    "list markers on one line": ("- " * 10_000 + "x\n", FIRST, "nested too deeply"),
    "indented list of 1000 levels": ("".join("    " * i + "- x\n" for i in range(1000)), FIRST + 16, "nested"),
    "100 KB of [": ("[" * 100_000, FIRST, "too long"),
    "19 000 [ in one paragraph": ("[" * 19_000, FIRST, "too complex"),
    "100 000 quote lines": ("> 引用\n" * 100_000, None, "too long"),
    "quotes nested a level a line": ("".join(">" * i + " x\n" for i in range(1, 2000)), FIRST + 16, "nested"),
    "nested HTML": ("<div>" * 20_000 + "x" + "</div>" * 20_000, FIRST, "too long"),
    "nested HTML in one paragraph": ("<div>" * 3000 + "x" + "</div>" * 3000, FIRST, "paragraph"),
    "two paragraphs of headings": ("\n\n".join(["a\n=\n" * 4900] * 2), FIRST, "too complex"),
    "one long paragraph of escapes": ("\\" * 30_000, FIRST, "paragraph"),
}


@pytest.mark.parametrize("name", BOMBS)
def test_a_markdown_bomb_is_a_content_error_at_its_file_and_line(tmp_path: Path, name: str) -> None:
    body, line, phrase = BOMBS[name]
    code, found, _ = run_check(narrative(tmp_path, body))
    assert code == 1
    mine = [p for p in found if p["path"].endswith(NARRATIVE) and phrase in p["en"]]
    assert mine, found
    last = FIRST + body.count("\n")
    assert all(p["line"] == line if line else FIRST <= p["line"] <= last for p in mine), mine
    assert all(p["zh"] and p["source_line"] is not None for p in mine), mine


def test_unknown_placeholders_by_the_thousand_are_reported_twenty_times(tmp_path: Path) -> None:
    code, found, _ = run_check(narrative(tmp_path, "{{ nope }} " * 1800))
    assert code == 1
    assert len(found) == 20 and {p["line"] for p in found} == {FIRST}, found
    assert found[0]["column"] == 1 and found[1]["column"] == 12


BUILDS = {
    "15 levels of lists": "".join("    " * i + "- 第" + str(i) + "层\n" for i in range(15)),
    "16 quotes": ">" * 16 + " 引用\n",
    "a list of 150 links": "".join(f"- [第{i}部法律](https://flk.npc.gov.cn/detail{i}.html)\n" for i in range(150)),
    "a table of 300 rows": "| 年份 | 场次 |\n| --- | --- |\n" + "".join(f"| {i} | {i * 3} |\n" for i in range(300)),
    "a long narrative": "\n\n".join(["依法治国，普法先行。" * 80] * 60),
    "3000 lines of HTML in a code block": "    <div>\n\n" * 3000,
}


@pytest.mark.parametrize("name", BUILDS)
def test_large_but_reasonable_markdown_builds(tmp_path: Path, name: str) -> None:
    code, found, err = run_check(narrative(tmp_path, BUILDS[name]))
    assert [p for p in found if p["severity"] == "error"] == [], found
    assert code == 0, err[-2000:]


def test_every_example_narrative_is_far_below_the_limits() -> None:
    texts = sorted((ROOT / "content").rglob("*.md"))
    assert texts
    for path in texts:
        text = path.read_text(encoding="utf-8")
        lines = text.split("\n")
        assert check_limits(Markdown(text, path, 1)) == [], path
        assert len(text) * 10 < mdlimits.MAX_CHARS, path
        assert max(mdlimits.line_depth(line)[0] for line in lines) * 4 <= mdlimits.MAX_DEPTH, path
        work = sum(mdlimits.block_work("\n".join(lines[a:b]), b - a) for a, b in mdlimits.paragraphs(lines))
        assert work * 100 < mdlimits.MAX_WORK, path


def test_a_recursion_error_in_markdown_is_a_content_error(tmp_path: Path) -> None:
    """Within the limits, but with a tiny stack (as in a thread on Windows): a located error, no traceback."""
    body = "".join("    " * i + "- x\n" for i in range(16))
    script = (
        "import sys\nfrom pathlib import Path\n"
        "from sitegen.site.markup import render_text\nfrom sitegen.content.model import Markdown\n"
        f"text = Markdown({body!r}, Path('n.zh.md'), 7)\nerrors = []\n"
        "sys.setrecursionlimit(45)\nhtml = render_text(text, lambda _: None, errors)\nsys.setrecursionlimit(1000)\n"
        "print(repr(html), [(e.path, e.line, e.en) for e in errors])\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        env={"PYTHONPATH": str(ROOT / "src")},
        preexec_fn=_limit_memory,
    )
    assert proc.returncode == 0, proc.stderr
    assert "'' [('n.zh.md', 7, 'The text is nested too deeply" in proc.stdout, proc.stdout


# --------------------------------------------------------------------------- nothing from another host


def build_errors(content: Path, out: Path) -> list:
    try:
        build(content, out, templates=ROOT / "templates")
    except ContentErrors as exc:
        return exc.sorted()
    return []


def year_page(out: Path) -> str:
    return (out / "zh" / "units" / "demo" / "2021" / "index.html").read_text(encoding="utf-8")


def test_a_remote_image_is_an_error_at_its_line_and_column(tmp_path: Path) -> None:
    content = narrative(tmp_path, "说明文字。\n\n前文 ![宣传海报](http://evil.example/x.png) 后文\n")
    [error] = build_errors(content, tmp_path / "out")
    assert error.path.endswith(NARRATIVE) and (error.line, error.column) == (FIRST + 2, 12)
    assert "only the site's own files may be used for images" in error.en
    assert "只能使用本网站自己的图片文件" in error.zh
    assert error.source_line == "前文 ![宣传海报](http://evil.example/x.png) 后文"


@pytest.mark.parametrize(
    ("body", "line"),
    [
        ("![海报][poster]\n\n说明。\n\n[poster]: https://evil.example/x.png\n", FIRST + 4),
        ("[![x](//evil.example/x.png)](https://www.moj.gov.cn/)\n", FIRST),
        ("![x](&#47;&#47;evil.example/x.png)\n", FIRST),
        ("![x](/\\evil.example/x.png)\n", FIRST),
    ],
)
def test_reference_style_and_disguised_remote_images_are_errors(tmp_path: Path, body: str, line: int) -> None:
    errors = build_errors(narrative(tmp_path, body), tmp_path / "out")
    assert [(e.line, "another site" in e.en) for e in errors] == [(line, True)], [str(e) for e in errors]


def test_local_images_and_links_to_other_sites_build(tmp_path: Path) -> None:
    body = (
        "![海报](../images/poster.png) ![标志](/pufa/logo.png) ![编码](%2F%2Fevil.example/x.png)\n\n"
        "详见[司法部网站](https://www.moj.gov.cn/)。\n"
    )
    out = tmp_path / "out"
    assert build_errors(narrative(tmp_path, body), out) == []
    page = year_page(out)
    assert '<img alt="海报" src="../images/poster.png">' in page
    assert '<img alt="标志" src="/pufa/logo.png">' in page
    assert '<a href="https://www.moj.gov.cn/" rel="noopener noreferrer">司法部网站</a>' in page


def test_raw_html_is_an_error_and_requests_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    body = '<img src="https://evil.example/x.png"> <script src="//evil.example/x.js"></script>\n'
    errors = build_errors(narrative(tmp_path, body), out)
    assert [(e.line, e.column, "Use Markdown instead" in e.en) for e in errors] == [(FIRST, 1, True)]
    assert not (out / "zh").exists()


# --------------------------------------------------------------------------- raw HTML and comments


def test_an_html_comment_is_an_error_at_its_line_and_column(tmp_path: Path) -> None:
    body = "说明文字。\n\n全年开展讲座 12 场。<!-- 备注：原文此处不清 -->\n"
    [error] = build_errors(narrative(tmp_path, body), tmp_path / "out")
    assert error.path.endswith(NARRATIVE) and (error.line, error.column) == (FIRST + 2, 13)
    assert "An HTML comment would appear on the public page as typed; delete it" in error.en
    assert "HTML 注释会原样显示在公开页面上，请删除" in error.zh
    assert error.source_line == "全年开展讲座 12 场。<!-- 备注：原文此处不清 -->"


def test_a_comment_over_several_lines_or_unclosed_is_one_error_where_it_opens(tmp_path: Path) -> None:
    body = "<!--\n备注：\n原文此处不清\n-->\n\n正文。\n\n  <!-- 没有结束的注释\n"
    errors = build_errors(narrative(tmp_path, body), tmp_path / "out")
    assert [(e.line, e.column, "HTML comment" in e.en) for e in errors] == [(FIRST, 1, True), (FIRST + 7, 3, True)]


@pytest.mark.parametrize(
    ("body", "column", "hint"),
    [
        ("第一段<br>第二段\n", 4, "a blank line between paragraphs instead of <br>"),
        ("<b>重点</b>工作\n", 1, "**bold** instead of <b>"),
        ('详见<a href="https://www.moj.gov.cn/">司法部</a>\n', 3, "[text](address)"),
        ('<font color="red">通知</font>\n', 1, "a blank line instead of <br>"),
        ("- 第一项\n\n    续写的段落 <br/>\n", 11, "instead of <br>"),
        ("| 项目 | 次数 |\n|---|---|\n| 讲座<br>培训 | 3 |\n", 5, "instead of <br>"),
        ("\\<b>粗</b>\n", 2, "instead of <b>"),
    ],
    ids=["br", "b", "a", "font", "list-paragraph", "table-cell", "after-a-backslash"],
)
def test_a_raw_html_tag_is_an_error_at_its_line_and_column(tmp_path: Path, body: str, column: int, hint: str) -> None:
    [error] = build_errors(narrative(tmp_path, body), tmp_path / "out")
    line = FIRST + body.rstrip("\n").count("\n")
    assert (error.line, error.column) == (line, column), str(error)
    assert "it would appear on the public page as typed. Use Markdown instead" in error.en and hint in error.en
    assert "它会原样显示在公开页面上。请改用 Markdown 的写法" in error.zh


def test_html_in_code_escaped_or_not_html_builds(tmp_path: Path) -> None:
    body = (
        "行内代码 `<br>` 和 `<!-- x -->`。\n\n"
        "    <script>缩进的代码块</script>\n\n"
        "```\n<b>围栏</b> <!-- 注释 -->\n```\n\n"
        "[链接](https://www.moj.gov.cn/?q=<b>) 和 a<b 且 c>d，网址 <https://www.moj.gov.cn/>。\n"
    )
    out = tmp_path / "out"
    assert build_errors(narrative(tmp_path, body), out) == []
    page = year_page(out)
    assert "<code>&lt;br&gt;</code>" in page and "<code>&lt;!-- x --&gt;</code>" in page
    assert "<pre><code>&lt;script&gt;" in page and "a&lt;b 且 c&gt;d" in page


def test_raw_html_in_a_news_body_is_an_error_on_its_file_line(tmp_path: Path) -> None:
    news = "news/2021-07-26-lecture.zh.md"
    text = "---\ntitle: 法治讲座\ndate: 2021-07-26\nsource: 某办\n---\n\n讲座现场。<br>\n\n<!-- 待核实 -->\n"
    errors = build_errors(make_site(tmp_path, {news: text}), tmp_path / "out")
    assert [(e.path.endswith(news), e.line, e.column) for e in errors] == [(True, 7, 6), (True, 9, 1)]


def test_raw_html_is_reported_on_twenty_lines_at_most(tmp_path: Path) -> None:
    errors = build_errors(narrative(tmp_path, "第一行<br><br>\n" * 30), tmp_path / "out")
    assert [e.line for e in errors] == list(range(FIRST, FIRST + 20))


@pytest.mark.parametrize(
    "url",
    ["http://e.x/a.png", "HTTPS://e.x/a.png", "//e.x/a.png", "\\\\e.x\\a.png", "/\\e.x/a.png", " \t//e.x", "ftp:x"],
)
def test_addresses_of_other_hosts_are_remote(url: str) -> None:
    assert is_remote(url)


@pytest.mark.parametrize("url", ["a.png", "../img/a.png", "/pufa/a.png", "%2F%2Fe.x/a.png", "?v=1", "#top", ""])
def test_addresses_on_this_site_are_not_remote(url: str) -> None:
    assert not is_remote(url)


def test_placeholder_errors_show_their_line_from_memory(tmp_path: Path) -> None:
    """The offending line comes from the text itself: the file on disk may have changed since."""
    path = tmp_path / "gone.zh.md"
    errors: list = []
    render_text(Markdown("第一段。\n\n共开展 {{ evnets }} 场。", path, 5), lambda _: None, errors)
    [error] = errors
    assert (error.line, error.column, error.source_line) == (7, 5, "共开展 {{ evnets }} 场。")
