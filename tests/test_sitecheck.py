"""``check`` on the built site: links, anchors, language switch, files, markup, friendly links,
stale news, translations and determinism, with the file and line of every annotation."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import ROOT, SITE_YAML, YEAR_FILE, check, check_json, expect, make_site
from sitegen.content.loader import load_content
from sitegen.content.translations import coverage
from sitegen.review.linkcheck import check_links, check_markup, counterpart, resolve
from sitegen.review.sitecheck import check_news_age, compare_builds, translation_errors, url_problem

BASE = "https://www.example.gov.cn/pufa/"

NEWS = "news/2021-12-04-constitution-day.zh.md"
NEWS_TEXT = """\
---
title: 宪法宣传周活动
date: 2021-12-04 09:30
source: 某区委办公室
---

宪法宣传周期间开展了宣传活动。

详见[年度情况](../../units/demo/2021/#events)和[旧页面](../../units/demo/2019/)。

另见[本页锚点](#no-such-anchor)。
"""
# line 3: the date; line 9: the two links; line 11: the anchor link.

CLEAN_NEWS_TEXT = NEWS_TEXT.split("详见")[0] + "详见[年度情况](../../units/demo/2021/#events)。\n"

NEWS_EN = "news/2021-12-04-constitution-day.en.md"
NEWS_EN_TEXT = """\
---
title: Constitution Week
---

Events were held during Constitution Week.
"""


def escaped(path) -> str:
    return path.as_posix().replace(":", "%3A").replace(",", "%2C")


def annotations(out: str) -> list[tuple[str, str, int]]:
    """(severity, file, line) of every ``::error``/``::warning`` line."""
    found = []
    for line in out.splitlines():
        if line.startswith(("::error ", "::warning ")):
            head = line.split("::")[1]
            severity, props = head.split(" ", 1)
            values = dict(p.split("=", 1) for p in props.split(","))
            found.append((severity, values["file"], int(values.get("line", 0))))
    return found


# --------------------------------------------------------------------------- resolving references


@pytest.mark.parametrize(
    ("page", "value", "expected"),
    [
        ("zh/news/index.html", "../units/", ("zh/units/index.html", "")),
        ("zh/news/index.html", "x/#top", ("zh/news/x/index.html", "top")),
        ("zh/news/index.html", "#main", ("zh/news/index.html", "main")),
        ("zh/index.html", "../assets/site.css?v=1", ("assets/site.css", "")),
        ("zh/index.html", "./", ("zh/index.html", "")),
        ("404.html", "/pufa/zh/", ("zh/index.html", "")),
        ("404.html", "/elsewhere/", ("", "")),
        ("zh/index.html", "../../../etc/passwd", ("", "")),
        ("sitemap.xml", BASE + "en/news/", ("en/news/index.html", "")),
        ("zh/index.html", "https://www.legalinfo.gov.cn/", None),
        ("zh/index.html", "mailto:pufa@example.gov.cn", None),
        ("zh/index.html", "//cdn.example.com/x.js", None),
    ],
)
def test_resolve(page, value, expected):
    assert resolve(page, value, BASE) == expected


def test_counterpart():
    assert counterpart("zh/news/x/index.html") == "en/news/x/index.html"
    assert counterpart("en/index.html") == "zh/index.html"
    assert counterpart("404.html") is None


# --------------------------------------------------------------------------- built pages, in memory

PAGE = """\
<!DOCTYPE html>
<html lang="{lang}">
<head><title>t</title><link rel="stylesheet" href="../assets/site.css"></head>
<body>
<main id="main">
<a class="lang-switch" href="{switch}">switch</a>
<a href="#main">top</a> <a href="../{lang}/missing/">gone</a> <a href="./#nowhere">anchor</a>
<img src="../assets/logo.png" alt="">
<h2 id="dup">a</h2><h2 id="dup">b</h2>
<section aria-labelledby="heading"></section>
</main>
</body>
</html>
"""


@pytest.fixture(scope="module")
def demo_content(tmp_path_factory):
    return load_content(make_site(tmp_path_factory.mktemp("demo")))


def page(lang: str, switch: str) -> bytes:
    return PAGE.format(lang=lang, switch=switch).encode()


def test_links_anchors_files_and_switch_in_built_pages(demo_content):
    files = {
        "zh/index.html": page("zh", "../zh/"),  # the switch leads back to itself
        "en/index.html": page("en", "../zh/"),
        "en/only/index.html": page("en", "../../zh/only/"),  # no Chinese page
        "assets/site.css": b"body { background: url(img/missing.png); }\n",
    }
    errors = check_links(demo_content, files)
    messages = "\n".join(f"{e.path}:{e.line}: {e.en}" for e in errors)
    assert 'output/zh/index.html:7: The link "../zh/missing/" leads to a page that does not exist' in messages
    assert 'output/zh/index.html:6: The language switch "../zh/" does not lead to this page in the other' in messages
    assert "output/en/index.html:6" not in messages  # en → zh/index.html is right
    assert 'output/zh/index.html:7: The anchor "#nowhere" of the link "./#nowhere" does not exist' in messages
    assert 'output/zh/index.html:8: The referenced file "../assets/logo.png" does not exist' in messages
    assert 'output/zh/index.html:9: The id "dup" appears more than once' in messages
    assert 'output/zh/index.html:10: aria-labelledby refers to the id "heading"' in messages
    assert 'output/assets/site.css:1: The referenced file "img/missing.png" does not exist' in messages
    assert "output/en/only/index.html:1: This page has no Chinese version (zh/only/index.html)" in messages
    assert 'The link "#main"' not in messages
    zh_switch = next(e for e in errors if "language switch" in e.en and e.path == "output/zh/index.html")
    assert zh_switch.source_line == '<a class="lang-switch" href="../zh/">switch</a>'
    assert "语言切换链接" in zh_switch.zh


def test_markup_errors_point_at_the_built_line():
    files = {
        "zh/index.html": b"<!DOCTYPE html>\n<html lang='zh-CN'><head><title>t</title></head>\n<body>\n<p>x</div>\n",
        "sitemap.xml": b"<?xml version='1.0'?>\n<urlset>\n<url></urlset>\n",
    }
    errors = check_markup(files)
    html = [e for e in errors if e.path == "output/zh/index.html"]
    assert html and html[0].line == 4 and "HTML parse error" in html[0].en and "HTML 解析错误" in html[0].zh
    [xml] = [e for e in errors if e.path == "output/sitemap.xml"]
    assert xml.line == 3 and "not well-formed" in xml.en


def test_compare_builds_names_the_first_differing_line():
    first = {"a.html": b"same\nsame\nbuilt at 10:00\n", "b.css": b"x", "c.txt": b"only here"}
    second = {"a.html": b"same\nsame\nbuilt at 10:01\n", "b.css": b"x"}
    errors = compare_builds(first, second)
    assert [(e.path, e.line) for e in errors] == [("output/a.html", 3), ("output/c.txt", 0)]
    assert "not deterministic" in errors[0].en and errors[0].source_line == "built at 10:00"


# --------------------------------------------------------------------------- content-side checks


@pytest.mark.parametrize(
    "url",
    [
        "http://www.legalinfo.gov.cn/",
        "https://sft.hubei.gov.cn/path?q=1#x",
        "https://例子.中国/",
        "http://192.0.2.10:8080/",
    ],
)
def test_good_urls(url):
    assert url_problem(url) is None


@pytest.mark.parametrize(
    ("url", "phrase"),
    [
        ("ftp://www.example.gov.cn/", "http:// or https://"),
        ("http://www.example..gov.cn/", "not a valid host name"),
        ("https://-bad-.example.gov.cn/", "not a valid host name"),
        ("http://localhost/", "not a valid host name"),
        ("https://www.example.gov.cn:99999/", "port"),
        ("http://user:secret@www.example.gov.cn/", "user name or password"),
        ("http://www.example.gov.cn/a b", "spaces"),
        ("https:///path", "no host"),
    ],
)
def test_bad_urls(url, phrase):
    problem = url_problem(url)
    assert problem is not None and phrase in problem[1]


def test_stale_news_is_a_warning_at_the_date_line(tmp_path):
    content = load_content(make_site(tmp_path, {NEWS: NEWS_TEXT}))
    assert check_news_age(content, date(2021, 12, 18)) == []  # 14 days: still fresh
    [warning] = check_news_age(content, date(2021, 12, 19))
    assert warning.severity == "warning"
    assert warning.path.endswith(NEWS) and warning.line == 3
    assert "15 days" in warning.en and "15 天" in warning.zh


def test_no_news_column_no_staleness(demo_content):
    assert check_news_age(demo_content, date(2030, 1, 1)) == []


def test_missing_translations_point_at_their_field(tmp_path):
    content = load_content(make_site(tmp_path, {NEWS: NEWS_TEXT}))
    errors = translation_errors(content, coverage(content))
    expect(errors, YEAR_FILE, 3, 12, "events[0].title", "no English translation")
    expect(errors, "site.yaml", 4, 12, "organizer")
    expect(errors, NEWS, 2, 8, "no English translation", "2021-12-04-constitution-day.en.md")


def test_coverage_walks_every_field_that_can_hold_a_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """Coverage skips the fields whose type holds no text (numbers, dates, a figure's qualifier): it counts
    what a walk of every field of every model counts, on the example with every kind of record."""
    from pydantic import BaseModel

    from sitegen.content import translations
    from sitegen.content.values import Text

    def every_field(value: object, where: str):  # the walk before fields were chosen by their type
        if isinstance(value, Text):
            yield where, value
        elif isinstance(value, BaseModel):
            derived = getattr(value, "derived_texts", ())
            for name in type(value).model_fields:
                if name not in derived:
                    yield from every_field(getattr(value, name), f"{where}.{name}" if where else name)
        elif isinstance(value, list | tuple):
            for index, item in enumerate(value):
                yield from every_field(item, f"{where}[{index}]")

    content = load_content(ROOT / "content")
    chosen = coverage(content)
    monkeypatch.setattr(translations, "_texts", every_field)
    assert coverage(content) == chosen and chosen.total > 500 and chosen.missing


# --------------------------------------------------------------------------- the command line


def site_with(tmp_path, files):
    return make_site(tmp_path, {NEWS: NEWS_TEXT, NEWS_EN: NEWS_EN_TEXT, **files})


def test_check_builds_and_passes_a_clean_site(tmp_path):
    root = site_with(tmp_path, {NEWS: CLEAN_NEWS_TEXT})
    code, out, err = check(root, "--today", "2021-12-10")
    assert code == 0, out + err
    assert out == ""
    assert "Content OK" in err and "site OK" in err and "English translation coverage" in err


def test_broken_links_in_markdown_are_annotated_at_their_line(tmp_path):
    root = site_with(tmp_path, {})
    code, out, _ = check(root, "--format", "github", "--today", "2021-12-10")
    assert code == 1
    news = escaped(root / NEWS)
    found = annotations(out)
    assert ("error", news, 9) in found  # ../../units/demo/2019/ does not exist
    assert ("error", news, 11) in found  # #no-such-anchor
    assert any(
        "units/demo/2019/" in line and "zh/news/2021-12-04-constitution-day/" in line for line in out.splitlines()
    )
    # The English page shows its own text: the Chinese links are on the Chinese page only.
    assert len([a for a in found if a[1] == news]) == 2


def test_bad_friendly_link_is_annotated_at_its_line_in_site_yaml(tmp_path):
    links = "friendly_links:\n  - name: 示例网\n    url: http://www.example..gov.cn/\n"
    root = site_with(tmp_path, {"site.yaml": SITE_YAML + links, NEWS: CLEAN_NEWS_TEXT})
    code, out, _ = check(root, "--format", "github", "--today", "2021-12-10")
    assert code == 1
    line = SITE_YAML.count("\n") + 3
    assert annotations(out) == [("error", escaped(root / "site.yaml"), line)]
    assert "友情链接“示例网”的网址有误" in out and "not a valid host name" in out


def test_stale_news_warns_without_failing_unless_strict(tmp_path):
    root = site_with(tmp_path, {NEWS: CLEAN_NEWS_TEXT})
    code, out, err = check(root, "--format", "github", "--today", "2021-12-31")  # in 2021: 2022.yaml not due yet
    assert code == 0, out + err
    assert annotations(out) == [("warning", escaped(root / NEWS), 3)]
    assert "27 days" in out
    code, out, _ = check(root, "--format", "github", "--today", "2021-12-10")
    assert (code, out) == (0, "")


def test_strict_makes_missing_translations_errors(tmp_path):
    root = site_with(tmp_path, {NEWS: CLEAN_NEWS_TEXT})
    code, problems, _ = check_json(root, "--strict", "--today", "2021-12-10")
    assert code == 1
    expect(problems, YEAR_FILE, 3, 12, "events[0].title", "no English translation")
    expect(problems, "units/demo/unit.yaml", 1, 7, "name")
    assert all(p["severity"] == "error" for p in problems)


def test_determinism_builds_twice(tmp_path):
    root = site_with(tmp_path, {NEWS: CLEAN_NEWS_TEXT})
    code, out, err = check(root, "--determinism", "--today", "2021-12-10")
    assert code == 0, out + err


def test_example_content_passes_and_is_fresh_on_its_last_news_day():
    code, out, err = check(ROOT / "content", "--today", "2025-12-10")
    assert (code, out) == (0, ""), out + err
    code, out, err = check(ROOT / "content", "--format", "github", "--today", "2026-01-30")
    assert code == 0
    assert [a[0] for a in annotations(out)] == ["warning"]


def test_bad_today_is_a_usage_error(demo_content):
    code, _, err = check(demo_content.root, "--today", "2021-02-30")
    assert code == 2 and "YYYY-MM-DD" in err
