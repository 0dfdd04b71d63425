"""Columns (栏目) and groups of units as data: lists, feeds, breadcrumbs that agree with the meta tags."""

from __future__ import annotations

import re
from pathlib import Path

import html5lib
import pytest

from conftest import SITE_YAML, YEAR_FILE, YEAR_YAML, check, make_site
from sitegen.content.loader import load_content
from sitegen.errors import ContentErrors
from sitegen.site.pipeline import build

ROOT = Path(__file__).resolve().parents[1]
CONTENT, TEMPLATES = ROOT / "content", ROOT / "templates"
NS = "{http://www.w3.org/1999/xhtml}"
NEWS = "---\ntitle: 标题\ndate: 2021-05-20 10:00\nsource: 某单位\ncolumn: nowhere\n---\n正文\n"


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    return build(CONTENT, tmp_path_factory.mktemp("columns") / "out", templates=TEMPLATES, write=False).files


def crumbs(html: bytes) -> list[str]:
    tree = html5lib.parse(html)
    nav = next(n for n in tree.iter(f"{NS}nav") if n.get("class") == "breadcrumb")
    return [re.sub(r"\s+", " ", "".join(el.itertext())).strip() for el in nav if el.tag in (f"{NS}a", f"{NS}span")][1:]


def meta(html: bytes, name: str) -> str | None:
    found = re.search(rf'<meta name="{name}" content="([^"]*)"', html.decode())
    return found.group(1) if found else None


@pytest.mark.parametrize(
    ("page", "path", "column_name"),
    [
        ("zh/news/index.html", ["首页", "普法动态"], "普法动态"),
        ("zh/notices/index.html", ["首页", "通知公告"], "通知公告"),
        ("zh/news/units/xinzhou-office/index.html", ["首页", "普法动态", "新洲区委办公室"], "新洲区委办公室"),
        ("zh/news/groups/party-organs/index.html", ["首页", "普法动态", "党委部门"], "党委部门"),
        ("zh/news/2025-11-10-bawu-summary-notice/index.html", ["首页", "通知公告"], "通知公告"),
        ("zh/news/2021-07-26-qiwu-summary/index.html", ["首页", "普法动态", "新洲区委办公室"], "新洲区委办公室"),
        ("zh/units/xinzhou-office/2023/index.html", ["首页", "普法动态", "新洲区委办公室", "2023年"], "新洲区委办公室"),
        (
            "zh/units/xinzhou-office/qiwu/index.html",
            ["首页", "普法动态", "新洲区委办公室", "七五普法"],
            "新洲区委办公室",
        ),
    ],
)
def test_breadcrumb_follows_the_column_path_and_the_meta_tags_agree(
    files: dict[str, bytes], page: str, path: list[str], column_name: str
) -> None:
    found = crumbs(files[page])
    assert found[: len(path)] == path
    assert meta(files[page], "ColumnName") == column_name
    assert column_name in found  # the meta tag names a column of the breadcrumb
    assert meta(files[page], "ColumnType") in ("普法动态", "通知公告")


def test_each_column_has_its_list_and_feed(files: dict[str, bytes]) -> None:
    notices = files["zh/notices/index.html"].decode()
    assert "2025-11-10-bawu-summary-notice" in notices and "2021-07-26-qiwu-summary" not in notices
    assert "2025-11-10-bawu-summary-notice" not in files["zh/news/index.html"].decode()
    feed = files["zh/notices/feed.xml"].decode()
    assert feed.count("<entry>") == 1 and "通知公告" in feed
    assert "2025-11-10-bawu-summary-notice" in files["zh/feed.xml"].decode()  # the site's feed holds every item
    assert "en/notices/index.html" in files and "en/notices/feed.xml" in files


def test_a_unit_sub_column_lists_its_items_reports_and_year_pages(files: dict[str, bytes]) -> None:
    page = files["zh/news/units/xinzhou-office/index.html"].decode()
    assert "../../../units/xinzhou-office/qiwu/" in page and "../../../units/xinzhou-office/2023/" in page
    listed = "".join(d.decode() for n, d in files.items() if n.startswith("zh/news/units/xinzhou-office/"))
    assert "2021-07-26-qiwu-summary" in listed  # on its second page
    other = files["zh/news/units/municipal-bureau/index.html"].decode()
    assert "2021-07-26-qiwu-summary" not in other and "../../../units/municipal-bureau/liuwu/" in other


def test_every_report_and_year_page_has_its_publication_facts(files: dict[str, bytes]) -> None:
    pages = [n for n in files if re.fullmatch(r"(zh|en)/units/[^/]+/([0-9]{4}|[a-z]+)/index.html", n)]
    assert len(pages) >= 16
    for name in pages:
        html = files[name]
        assert meta(html, "PubDate") and meta(html, "ArticleTitle") and meta(html, "ContentSource"), name
        assert re.search(r"(发布时间|Published)", html.decode()), name


def test_articles_link_the_neighbours_in_their_own_column(files: dict[str, bytes]) -> None:
    notice = files["zh/news/2025-11-10-bawu-summary-notice/index.html"].decode()
    assert "上一篇" not in notice and "下一篇" not in notice  # the only item of its column
    middle = files["zh/news/2025-11-05-legal-publicity-education-law/index.html"].decode()
    assert 'rel="prev" href="../2025-11-27-bawu-acceptance/"' in middle
    assert 'rel="next" href="../2025-05-21-civil-code-month/"' in middle


def test_column_lists_filter_by_unit_and_group_without_javascript(files: dict[str, bytes]) -> None:
    page = files["zh/news/index.html"].decode()
    assert 'href="units/xinzhou-office/"' in page and 'href="groups/party-organs/"' in page
    assert "data-navigate" in page  # with JavaScript: a select that opens the chosen sub-column


def test_groups_have_pages_and_the_overview_totals_them(files: dict[str, bytes]) -> None:
    group = files["zh/groups/party-organs/index.html"].decode()
    assert "中共武汉市新洲区委办公室" in group and "xxxx市机关事务管理局" not in group
    assert "合计" in group and "chart-groups-party-organs-bawu" in group
    units = files["zh/units/index.html"].decode()
    assert units.index("党委部门") < units.index("中共武汉市新洲区委办公室") < units.index("政府部门")
    overview = files["zh/overview/bawu/index.html"].decode() if "zh/overview/bawu/index.html" in files else ""
    assert not overview or "group-total" in overview


def test_unknown_column_and_group_are_located_errors(tmp_path: Path) -> None:
    root = make_site(
        tmp_path,
        {
            "news/2021-05-20-x.zh.md": NEWS,
            "units/demo/unit.yaml": "name: 演示单位\ngroup: courts\n",
        },
    )
    with pytest.raises(ContentErrors) as caught:
        load_content(root)
    found = {(Path(e.path).name, e.line, e.en.split(" (")[0]) for e in caught.value.errors}
    assert ("2021-05-20-x.zh.md", 5, 'There is no column "nowhere"') in found
    assert ("unit.yaml", 2, 'There is no group "courts"') in found


@pytest.mark.parametrize(
    ("columns", "phrase"),
    [
        ("columns:\n  - id: news\n  - id: news\n", "no two columns may share an id"),
        ("columns:\n  - id: units\n", "cannot be units"),
        ("column:\n  type: 普法动态\ncolumns:\n  - id: news\n", "not both"),
    ],
)
def test_columns_are_checked(tmp_path: Path, columns: str, phrase: str) -> None:
    root = make_site(tmp_path, {"site.yaml": SITE_YAML + columns})
    with pytest.raises(ContentErrors) as caught:
        load_content(root)
    assert any(phrase in e.en for e in caught.value.errors), [e.en for e in caught.value.errors]


def test_the_one_column_form_still_reads(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"site.yaml": SITE_YAML + "column:\n  name: 法治动态\n  type: 普法动态\n"})
    site = load_content(root).site
    assert [c.id for c in site.columns] == ["news"] and site.columns[0].name.zh == "法治动态" and site.unit_column


def test_publishing_needs_every_pages_publication_time(tmp_path: Path) -> None:
    root = make_site(tmp_path)
    code, out, _ = check(root, "--publish")
    assert code == 1 and "units/demo/2021.yaml:1:1: error:" in out and "published" in out
    (root / YEAR_FILE).write_text("published: 2022-01-10 10:00\n" + YEAR_YAML, encoding="utf-8")
    code, out, _ = check(root, "--publish")
    assert "published" not in out
