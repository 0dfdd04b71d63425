"""Labels that tell the truth: sample notices per record, no field names or editors' notes on public
pages, English pages with English punctuation and every Chinese string marked ``lang="zh-CN"``."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import html5lib
import pytest
from markupsafe import Markup
from pydantic import BaseModel

from conftest import SITE_YAML, YEAR_FILE, YEAR_YAML, make_site
from sitegen.content import model, quantity, sitefiles
from sitegen.content.loader import load_content
from sitegen.site.i18n import LOCALES
from sitegen.site.marking import mark_chinese
from sitegen.site.pipeline import build

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
TEMPLATES = ROOT / "templates"
NS = "{http://www.w3.org/1999/xhtml}"
CJK = re.compile(r"[\u2e80-\u2fdf\u3000-\u303f\u3040-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")
NOTICE = 'class="notice sample"'
REAL = ("units/xinzhou-office/qiwu/", "units/municipal-bureau/liuwu/", "news/2021-07-26-qiwu-summary/")
SAMPLE = ("units/xinzhou-office/2023/", "units/xinzhou-office/bawu/", "news/2023-12-04-constitution-day/")
SKIPPED = {"script", "style", "code", "pre"}


def built(content: Path, tmp: Path) -> dict[str, bytes]:
    return build(content, tmp / "output", templates=TEMPLATES, write=False).files


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    return built(CONTENT, tmp_path_factory.mktemp("labels"))


def pages(files: dict[str, bytes], lang: str) -> Iterator[tuple[str, str]]:
    """``(name, html)`` of every HTML page in ``lang`` (the 404 page and the redirect count as Chinese)."""
    for name, data in sorted(files.items()):
        in_lang = name.startswith(lang + "/") or (lang == "zh" and "/" not in name)
        if name.endswith(".html") and in_lang:
            yield name, data.decode("utf-8")


def text_nodes(html: str) -> Iterator[tuple[str, bool, bool]]:
    """Every text node outside script, style and code: ``(text, inside lang="zh-CN", inside lang="en")``."""
    root = html5lib.parse(html)

    def walk(el: Element, zh: bool, en: bool) -> Iterator[tuple[str, bool, bool]]:
        tag = el.tag.replace(NS, "") if isinstance(el.tag, str) else ""
        if tag in SKIPPED or "lang-switch" in (el.get("class") or "").split():
            return
        lang = el.get("lang")
        if lang is not None and tag != "html":
            zh, en = lang == "zh-CN", lang == "en"
        if el.text:
            yield el.text, zh, en
        for child in el:
            yield from walk(child, zh, en)
            if child.tail:
                yield child.tail, zh, en

    yield from walk(root, False, False)


def field_names() -> set[str]:
    """Every field name of the content model (year, period, unit, news, site, Quantity …)."""
    names: set[str] = set()
    for module in (model, quantity, sitefiles):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, BaseModel) and value is not BaseModel:
                names.update(value.model_fields)
    return names


def notes(value: Any) -> Iterator[str]:
    """The text of every ``note`` field anywhere in loaded content (editors' notes on figures)."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            field = getattr(value, name)
            if name == "note" and field is not None:
                yield from (t for t in (field.zh, field.get("en")) if t)
            else:
                yield from notes(field)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from notes(getattr(value, field.name))
    elif isinstance(value, dict):
        for item in value.values():
            yield from notes(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from notes(item)


# --------------------------------------------------------------------------- (a) sample notices


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_real_records_carry_no_sample_notice(files: dict[str, bytes], lang: str) -> None:
    for route in REAL:
        html = files[f"{lang}/{route}index.html"].decode("utf-8")
        assert NOTICE not in html and LOCALES[lang].t("sample_data") not in html, route


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sample_records_say_so(files: dict[str, bytes], lang: str) -> None:
    for route in SAMPLE:
        html = files[f"{lang}/{route}index.html"].decode("utf-8")
        assert NOTICE in html and LOCALES[lang].t("sample_data") in html, route


def test_a_demo_site_flag_alone_marks_no_page(tmp_path: Path) -> None:
    """``sample: true`` in site.yaml says the site is a demo; with no sample records no page says so."""
    content = make_site(tmp_path, {"site.yaml": "sample: true\n" + SITE_YAML})
    demo = built(content, tmp_path)
    assert [name for lang in ("zh", "en") for name, html in pages(demo, lang) if NOTICE in html] == []
    content = make_site(tmp_path, {YEAR_FILE: "sample: true\n" + YEAR_YAML})
    marked = built(content, tmp_path)
    assert NOTICE in marked["zh/units/demo/2021/index.html"].decode("utf-8")
    assert NOTICE not in marked["zh/units/index.html"].decode("utf-8")  # a list of units shows no figures


# --------------------------------------------------------------------------- (b) no leftovers on Chinese pages

LEFTOVERS = ("次数要求见下方", "下方 norms")
URLISH = re.compile(r"\S+@\S+|\w+://\S+|\S+\.(?:html|xml|csv|yaml|md)\b")


def test_chinese_pages_show_no_field_names_or_template_leftovers(files: dict[str, bytes]) -> None:
    fields = field_names()
    assert {"norms", "media_posts", "sample", "note"} <= fields  # the collection itself works
    problems = []
    for name, html in pages(files, "zh"):
        text = " ".join(t for t, _, en in text_nodes(html) if not en)
        words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", URLISH.sub(" ", text)))
        problems += [(name, word) for word in sorted(words & fields)]
        problems += [(name, left) for left in LEFTOVERS if left in text]
        problems += [(name, m.group()) for m in re.finditer(r"\d+ +[次场份册条期人个]", text)]
    assert problems == []


def test_editors_notes_on_figures_stay_internal(files: dict[str, bytes]) -> None:
    written = [n for n in notes(load_content(CONTENT)) if len(n) > 8]
    assert any("乱码" in n for n in written)  # the example has notes on garbled figures
    shown = [(name, n) for lang in ("zh", "en") for name, html in pages(files, lang) for n in written if n in html]
    assert shown == []


# --------------------------------------------------------------------------- (c) English pages


def test_english_pages_mark_every_chinese_text(files: dict[str, bytes]) -> None:
    unmarked = []
    for name, html in pages(files, "en"):
        unmarked += [(name, t.strip()) for t, zh, _ in text_nodes(html) if not zh and CJK.search(t)]
    assert unmarked == []


def test_english_labels_use_english_colons(files: dict[str, bytes]) -> None:
    bad = []
    for name, html in pages(files, "en"):
        text = "".join("□" if zh else t for t, zh, _ in text_nodes(html))
        bad += [(name, text[max(0, m.start() - 20) : m.end()]) for m in re.finditer(r"[\x21-\x7e]\s*：", text)]
    assert bad == []
    assert "Published: " in files["en/news/2021-07-26-qiwu-summary/index.html"].decode("utf-8")


def test_english_feed_marks_untranslated_text(files: dict[str, bytes]) -> None:
    feed = files["en/feed.xml"].decode("utf-8")
    for element in re.findall(r"<(?:title|summary)[^>]*>[^<]*</(?:title|summary)>", feed):
        assert not CJK.search(element) or 'xml:lang="zh-CN"' in element, element


def test_the_marking_filter() -> None:
    assert mark_chinese("中文", "zh") == "中文"
    assert mark_chinese("a<b", "en") == "a&lt;b"
    assert mark_chinese("单位 · 2021 - Site", "en") == '<span lang="zh-CN">单位</span> · 2021 - Site'
    assert mark_chinese("the name (法制) changed", "en") == 'the name (<span lang="zh-CN">法制</span>) changed'
    html = Markup('<p>法治 <span lang="zh-CN">已<b>标</b></span></p>')
    assert mark_chinese(html, "en") == '<p><span lang="zh-CN">法治</span> <span lang="zh-CN">已<b>标</b></span></p>'


# --------------------------------------------------------------------------- (d) English terms


def test_english_terms_are_idiomatic(files: dict[str, bytes]) -> None:
    found = [
        (name, term)
        for name, data in sorted(files.items())
        if name.startswith("en/")
        for term in ("person-times", "Elderly")
        if term in data.decode("utf-8", "replace")
    ]
    assert found == []
    home = files["en/index.html"].decode("utf-8")
    assert "Senior mode" in home and "Related links" in home
