"""The built site, read as files: pages, languages, links, safety, publishing guarantees."""

from __future__ import annotations

import gc
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

import html5lib
import pytest

from sitegen.content.yamlsource import YamlDocument
from sitegen.errors import ContentErrors
from sitegen.site import pipeline
from sitegen.site.pipeline import build

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
TEMPLATES = ROOT / "templates"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "output"
    build(CONTENT, out, templates=TEMPLATES)
    return out


def html_pages(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*.html"))


class Links(HTMLParser):
    """Collects href/src attributes and element ids of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []  # tag, attribute, value
        self.ids: set[str] = set()
        self.html_lang = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self.html_lang = values.get("lang") or ""
        if values.get("id"):
            self.ids.add(values["id"])
        for attr in ("href", "src"):
            if values.get(attr):
                self.refs.append((tag, attr, values[attr]))


def parse(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_both_languages_have_the_same_pages(site: Path) -> None:
    zh = {p.relative_to(site / "zh") for p in (site / "zh").rglob("index.html")}
    en = {p.relative_to(site / "en") for p in (site / "en").rglob("index.html")}
    assert zh == en
    assert len(zh) > 20


def test_root_leads_to_chinese_without_javascript(site: Path) -> None:
    text = (site / "index.html").read_text(encoding="utf-8")
    assert 'http-equiv="refresh" content="0; url=zh/"' in text
    assert '<a href="zh/">' in text


def test_every_page_parses_without_errors(site: Path) -> None:
    for page in html_pages(site):
        parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
        parser.parse(page.read_bytes(), transport_encoding="utf-8")


def test_every_internal_link_and_anchor_resolves(site: Path) -> None:
    ids = {p.resolve(): parse(p).ids for p in html_pages(site)}
    broken = []
    for page in html_pages(site):
        for tag, attr, value in parse(page).refs:
            if urlsplit(value).scheme or value.startswith(("mailto:", "//")):
                continue
            target, fragment = urldefrag(value)
            target = unquote(target)  # a server decodes %E5%AE%AA… to the file's Chinese name
            if page.name == "404.html" and target:  # absolute paths under the base URL's path
                target = target.removeprefix("/pufa/")
                resolved = site / target
            else:
                resolved = (page.parent / target) if target else page
            if resolved.is_dir():
                resolved = resolved / "index.html"
            if not resolved.exists():
                broken.append(f"{page.relative_to(site)}: {tag}[{attr}]={value}")
            elif fragment and resolved.suffix == ".html" and fragment not in ids[resolved.resolve()]:
                broken.append(f"{page.relative_to(site)}: #{fragment} missing in {value}")
    assert broken == []


def test_no_request_ever_leaves_the_site(site: Path) -> None:
    for page in html_pages(site):
        for tag, attr, value in parse(page).refs:
            if tag in ("script", "img", "iframe", "source", "video", "audio") or (tag == "link" and attr == "href"):
                external = bool(urlsplit(value).scheme) or value.startswith("//")
                allowed_link = tag == "link" and value.startswith("https://www.example.gov.cn/")
                assert not external or allowed_link, f"{page}: {tag} {value}"
    for asset in site.rglob("*.js"):
        # Pagefind's script names https://example.com only as a base for parsing URLs and never requests it;
        # tests/test_search.py checks at run time that no request leaves the site.
        if "vendor" not in asset.parts and "pagefind" not in asset.parts:
            assert "http" not in asset.read_text(encoding="utf-8")


def test_language_attributes_and_alternates(site: Path) -> None:
    for page in html_pages(site):
        rel = page.relative_to(site).as_posix()
        info = parse(page)
        text = page.read_text(encoding="utf-8")
        if rel.startswith("zh/"):
            assert info.html_lang == "zh-CN"
        elif rel.startswith("en/"):
            assert info.html_lang == "en"
            assert "the Chinese version prevails" in text
        if rel.startswith(("zh/", "en/")):
            for lang in ("zh-CN", "en", "x-default"):
                assert f'hreflang="{lang}"' in text, rel
            other = "en" if rel.startswith("zh/") else "zh"
            switch = re.search(r'class="lang-switch" href="([^"]+)"', text)
            assert switch, rel
            assert (page.parent / switch.group(1)).resolve() == (site / other / rel[3:]).parent.resolve(), rel


def test_government_conventions_on_an_article(site: Path) -> None:
    page = site / "zh" / "news" / "2021-07-26-qiwu-summary" / "index.html"
    text = page.read_text(encoding="utf-8")
    assert "您当前所在的位置：" in text
    assert "发布时间" in text and "2021-07-26 09:33" in text
    assert "来源" in text
    for meta in (
        "SiteName",
        "SiteDomain",
        "SiteIDCode",
        "ColumnName",
        "ArticleTitle",
        "PubDate",
        "ContentSource",
    ):
        assert f'<meta name="{meta}"' in text
    assert 'href="https://beian.miit.gov.cn/"' in text
    assert "beian.mps.gov.cn" in text
    assert "网站标识码" in text and "网站地图" in text
    assert "Content-Security-Policy" in text and "script-src 'self'" in text
    assert "<script>" not in text  # no inline script anywhere (CSP)


def test_no_inline_scripts_anywhere(site: Path) -> None:
    for page in html_pages(site):
        for match in re.finditer(
            r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", page.read_text(encoding="utf-8"), re.S
        ):
            attrs, body = match.group("attrs"), match.group("body")
            assert "src=" in attrs or 'type="application/json"' in attrs, page
            if "src=" in attrs:
                assert body == ""


def test_qualified_numbers_keep_their_qualifier(site: Path) -> None:
    zh = (site / "zh" / "units" / "xinzhou-office" / "qiwu" / "index.html").read_text(encoding="utf-8")
    en = (site / "en" / "units" / "xinzhou-office" / "qiwu" / "index.html").read_text(encoding="utf-8")
    assert "1000余" in zh and "1,000+" in en
    assert "96分以上" in zh and "≥ 96" in en


def test_redacted_and_garbled_values_are_said_so(site: Path) -> None:
    en = (site / "en" / "units" / "municipal-bureau" / "liuwu" / "index.html").read_text(encoding="utf-8")
    assert "(illegible in source)" in en


def test_untranslated_english_shows_chinese_marked(site: Path) -> None:
    untranslated = [
        p for p in (site / "en").rglob("index.html") if "untranslated-notice" in p.read_text(encoding="utf-8")
    ]
    assert untranslated, "the example content leaves some English out on purpose"
    text = untranslated[0].read_text(encoding="utf-8")
    assert 'lang="zh-CN"' in text
    assert "has not been translated into English yet" in text


def test_charts_have_table_summary_csv_and_safe_options(site: Path) -> None:
    page = site / "en" / "units" / "xinzhou-office" / "bawu" / "index.html"
    text = page.read_text(encoding="utf-8")
    charts = re.findall(r'data-chart="([^"]+)"', text)
    assert len(charts) == 4  # events by occasion, trainings, funding, events by kind
    for chart in charts:
        assert (page.parent / f"{chart}.csv").is_file()
        assert f'id="{chart}-options"' in text
    assert text.count('<table class="data">') >= 4
    assert "echarts" in text  # the script is loaded on chart pages only
    news = (site / "en" / "news" / "index.html").read_text(encoding="utf-8")
    assert "echarts" not in news


def test_feeds_and_sitemap_are_well_formed(site: Path) -> None:
    ns = {"a": "http://www.w3.org/2005/Atom", "s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    for lang in ("zh", "en"):
        feed = ET.parse(site / lang / "feed.xml").getroot()
        entries = feed.findall("a:entry", ns)
        assert len(entries) >= 10
        assert all(e.find("a:link", ns).get("href").startswith("https://www.example.gov.cn/pufa/") for e in entries)
    urls = ET.parse(site / "sitemap.xml").getroot().findall("s:url", ns)
    assert len(urls) == len(list((site / "zh").rglob("index.html"))) * 2
    robots = (site / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: https://www.example.gov.cn/pufa/sitemap.xml" in robots


def test_assets_carry_a_content_hash(site: Path) -> None:
    names = [p.name for p in (site / "assets").rglob("*.js")] + [p.name for p in (site / "assets").glob("*.css")]
    assert all(re.search(r"\.[0-9a-f]{10}\.(js|css)$", n) for n in names), names
    assert (site / "assets" / "vendor" / "echarts-LICENSE.txt").is_file()
    assert (site / "assets" / "vendor" / "echarts-NOTICE.txt").is_file()


def test_base_url_with_a_sub_path(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(CONTENT, out, templates=TEMPLATES, base_url="https://pufa.example.org/sub/dir")
    home = (out / "zh" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://pufa.example.org/sub/dir/zh/">' in home
    assert "https://pufa.example.org/sub/dir/zh/" in (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "https://pufa.example.org/sub/dir/en/news/" in (out / "en" / "feed.xml").read_text(encoding="utf-8")
    assert 'href="/sub/dir/zh/"' in (out / "404.html").read_text(encoding="utf-8")


def _build_in_subprocess(out: Path, env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "build", "--output", str(out)],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
        capture_output=True,
    )


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_output_is_byte_identical_across_time_zones_and_locales(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    _build_in_subprocess(a, {"TZ": "Asia/Shanghai", "LANG": "zh_CN.UTF-8", "PYTHONHASHSEED": "1"})
    _build_in_subprocess(b, {"TZ": "America/New_York", "LANG": "C", "PYTHONHASHSEED": "2"})
    assert _tree(a) == _tree(b)


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }


def test_failed_build_leaves_previous_output_untouched(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(CONTENT, out, templates=TEMPLATES)
    before = _snapshot(out)
    broken = tmp_path / "templates"
    shutil.copytree(TEMPLATES, broken)
    (broken / "article.html").write_text("{% extends 'base.html' %}{% block main %}{{ nope( }}{% endblock %}")
    with pytest.raises(ContentErrors) as info:
        build(CONTENT, out, templates=broken)
    assert "article.html" in str(info.value)
    assert _snapshot(out) == before


def _documents_of(folder: Path) -> list[YamlDocument]:
    """The parsed YAML documents of ``folder``'s files still alive (frozen objects included), but the news
    items' front matter (an article's attachments are checked, at their line, when it is planned)."""
    gc.unfreeze()
    gc.collect()
    docs = [o for o in gc.get_objects() if isinstance(o, YamlDocument) and folder in o.source.path.parents]
    return [doc for doc in docs if folder / "news" not in doc.source.path.parents]


def test_a_build_lets_the_parsed_yaml_go_once_its_files_are_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The YAML parsed with the position of every value is for the messages about the files: once they are
    checked, a build lets it go (but the news items'), and no memo keeps it (on a 300-unit site it was a third of
    the peak memory)."""
    content = shutil.copytree(CONTENT, tmp_path / "content")
    alive: dict[str, int] = {}
    plan = pipeline.plan_site

    def counting(*args, **kwargs):
        alive["planning"] = len(_documents_of(content))
        return plan(*args, **kwargs)

    monkeypatch.setattr(pipeline, "plan_site", counting)
    result = build(content, tmp_path / "out", templates=TEMPLATES, write=False, jobs=1)
    assert result.pages > 50 and alive == {"planning": 0}
    assert not _documents_of(content)


def test_unchanged_files_are_not_rewritten(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    out = tmp_path / "out"
    build(content, out, templates=TEMPLATES)
    before = _snapshot(out)
    result = build(content, out, templates=TEMPLATES)
    assert result.stats.written == 0
    assert _snapshot(out) == before
    news = content / "news" / "2021-07-26-qiwu-summary.zh.md"
    news.write_text(news.read_text(encoding="utf-8") + "\n补充一段。\n", encoding="utf-8")
    build(content, out, templates=TEMPLATES)
    after = _snapshot(out)
    changed = {k for k in after if after[k] != before.get(k)}
    assert "zh/news/2021-07-26-qiwu-summary/index.html" in changed
    assert "zh/units/xinzhou-office/bawu/index.html" not in changed
    assert "assets" not in {c.split("/")[0] for c in changed}


MALICIOUS = """\
---
title: 测试
date: 2025-12-30 10:00
source: 测试
---

[click](javascript:alert(2)) [data](data:text/html;base64,PHNjcmlwdD4=)

A paragraph {: onclick="alert(4)" }
"""
"""(Raw HTML such as ``<script>`` is refused at its line: tests/test_markdown_limits.py, tests/test_hostile.py.)"""


def test_markdown_cannot_inject_script(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    (content / "news" / "2025-12-30-xss.zh.md").write_text(MALICIOUS, encoding="utf-8")
    obs = content / "observances.yaml"
    obs.write_text(
        obs.read_text(encoding="utf-8").replace("国家宪法日", "国家宪法日</script><script>alert(6)</script>", 1),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    build(content, out, templates=TEMPLATES)
    article = (out / "zh" / "news" / "2025-12-30-xss" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in article
    assert not re.search(r"<[a-z]+[^>]*\son[a-z]+=", article), "event-handler attribute"
    assert not re.search(r"""(href|src)=["']?(javascript|data):""", article), "dangerous link"
    for page in html_pages(out):
        assert "<script>alert(6)" not in page.read_text(encoding="utf-8"), page


def test_placeholders_fill_figures_and_unknown_ones_are_errors(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    narrative = content / "units" / "xinzhou-office" / "2023.zh.md"
    narrative.write_text("第一行\n\n本年共开展活动 {{ events }}，培训 {{ people_trained }}。\n", encoding="utf-8")
    out = tmp_path / "out"
    build(content, out, templates=TEMPLATES)
    page = (out / "zh" / "units" / "xinzhou-office" / "2023" / "index.html").read_text(encoding="utf-8")
    assert re.search(r"本年共开展活动 \d+场，培训 \d+人次", page)
    narrative.write_text("第一行\n\n第三行 {{ evnets }}\n", encoding="utf-8")
    with pytest.raises(ContentErrors) as info:
        build(content, out, templates=TEMPLATES)
    [error] = info.value.errors
    assert error.path.endswith("units/xinzhou-office/2023.zh.md")
    assert (error.line, error.column) == (3, 5)
    assert "evnets" in error.en
