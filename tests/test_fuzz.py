"""Fuzzing: whatever an editor types, only content errors come out, and valid content gives valid HTML.

Hypothesis feeds text and bytes to the YAML reader, to whole content folders, to the Markdown
pipeline and to the chart encoder. Any exception other than :class:`ContentError` /
:class:`ContentErrors` fails. The quick profile (``tests/conftest.py``) runs on every test run;
``SITEGEN_FUZZ=1`` runs the ``fuzz`` profile (5,000 examples per test).
"""

from __future__ import annotations

import csv
import functools
import io
import json
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import html5lib
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import ROOT, expect, make_site, problems
from hostile import PAYLOADS, yaml_str
from sitegen.content.loader import load_content
from sitegen.content.model import Markdown
from sitegen.content.values import Quantity
from sitegen.content.yamlsource import decode_source, parse_yaml
from sitegen.errors import ContentError, ContentErrors
from sitegen.site.charts import ChartSpec, Series, render_chart
from sitegen.site.i18n import LOCALES
from sitegen.site.markup import fill_placeholders, render_markdown
from sitegen.site.pipeline import collect_assets, render_site
from sitegen.site.plots import series_labels
from sitegen.site.render import printable

BUILDS = settings(max_examples=max(10, settings.default.max_examples // 3))
"""Tests that build a whole site take fewer examples (a third of the profile's)."""

YAML_TOKENS = [
    "key", "title", "events", "name", "zh", "en", ":", ": ", " ", "  ", "\n", "\n  ", "- ", "\t", "'", '"', "[", "]",
    "{", "}", ",", "&a ", "*a", "!!str ", "!!python/object:os.system ", "!x ", "|", ">", "#", "---\n", "...\n",
    "%YAML 1.1\n", "<<: ", "?", "：", "\u3000", "\ufeff", "\x00", "\x85", "\u2028", "\\", "\\x41", "\\u2028", "中文",
    "12", "2021-12-04", "12-04", "null", "~", "yes", "1e309", "-.inf", ".nan", "0x1F", "1_000", "约300", "1000余",
    "redacted", "value", "date", "observance", "constitution-day", "kind", "lecture", "funding", "figures",
    "participants", "9" * 30, "9" * 400 + ".5", "万", "万元", "亿",
]  # fmt: skip
MARKDOWN_TOKENS = [
    "*", "_", "**", "[", "]", "](", ")", "(", "<", ">", "&", "&#106;", "&colon;", "#", "`", "```", "{:", "}", "\n",
    "\n\n", "    ", "|", "---", "![", "[1]: ", "<script>", "</script>", "javascript:", "data:", "<!--", "-->", "{{",
    "}}",
    "{{ events }}", "{{ 2023.audience }}", " ", "x", "中文", "\x00", "\u2028", "\t", "<img src=x onerror=alert(1)>",
    "<a href=", "onclick=", '"', "'", "=", "\\", "<div>", "</div>", "<table>", "<svg>", "<math>", "&amp;", "http://",
]  # fmt: skip


def tokens(words: list[str]) -> st.SearchStrategy[str]:
    """Text made of ``words`` and random characters: deep into a parser, yet surprising."""
    return st.one_of(st.text(), st.lists(st.sampled_from(words) | st.text(max_size=3), max_size=60).map("".join))


def only_content_errors(run, *args):
    """``run(*args)``; a content problem is fine (returned), anything else fails the test."""
    try:
        return run(*args)
    except (ContentError, ContentErrors) as exc:
        return exc


def lines_of(text: str) -> int:
    """Lines an error may point at; U+0085/U+2028/U+2029 count for now (see the xfail test below)."""
    return sum(text.count(end) for end in "\n\r\x85\u2028\u2029") + 2


def check_located(exc: object, text: str) -> None:
    errors = exc.errors if isinstance(exc, ContentErrors) else [exc] if isinstance(exc, ContentError) else []
    for e in errors:
        assert 0 <= e.line <= lines_of(text) and e.column >= 0 and (e.zh and e.en), e


# --------------------------------------------------------------------------- YAML


@given(tokens(YAML_TOKENS))
@example("a: &x [*x]")
@example("title: !!python/object/apply:os.system ['true']")
def test_the_yaml_reader_only_reports_content_errors(text: str) -> None:
    source = only_content_errors(decode_source, Path("fuzz.yaml"), text.encode("utf-8", "surrogatepass"))
    if not isinstance(source, Exception):
        check_located(only_content_errors(parse_yaml, source), text)


@pytest.mark.parametrize("separator", ["\x85", "\u2028", "\u2029"])
def test_unicode_line_separators_do_not_shift_error_lines(separator: str) -> None:
    def error_line(text: str) -> int:
        with pytest.raises(ContentErrors) as caught:
            parse_yaml(decode_source(Path("fuzz.yaml"), text.encode()))
        return caught.value.errors[0].line

    assert error_line(f"# note{separator}\nname: [\n") == error_line("# note\nname: [\n")


@given(st.binary(max_size=400) | tokens(YAML_TOKENS).map(lambda t: t.encode("gb18030", "replace")))
def test_the_yaml_reader_takes_any_bytes(raw: bytes) -> None:
    source = only_content_errors(decode_source, Path("fuzz.yaml"), raw)
    if not isinstance(source, Exception):
        only_content_errors(parse_yaml, source)


CONTENT_FILES = [
    "site.yaml", "periods.yaml", "observances.yaml", "units/demo/unit.yaml", "units/demo/2021.yaml",
    "units/demo/2021.zh.md", "units/demo/bawu.yaml", "units/demo/bawu/overview.zh.md", "news/2021-05-01-x.zh.md",
]  # fmt: skip


@BUILDS
@given(st.sampled_from(CONTENT_FILES), tokens(YAML_TOKENS) | st.binary(max_size=300))
@example(
    "units/demo/2021.yaml", "events:\n  - date: 2021-12-04\n    kind: lecture\n    title: t\n    participants: 1e309\n"
)
def test_a_content_folder_with_any_file_gives_content_errors_or_a_site(name: str, data: str | bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        content = make_site(Path(tmp), {name: data})
        loaded = only_content_errors(load_content, content)
        if not isinstance(loaded, Exception):
            check_site(loaded)


@pytest.mark.parametrize("figure", ["9" * 400 + ".5", "9" * 400 + "万", "9" * 5000, "1000000000000001", "1e308"])
def test_absurd_figures_are_content_errors_not_overflows(tmp_path: Path, figure: str) -> None:
    year = f"events:\n  - date: 2021-12-04\n    kind: lecture\n    title: t\nfigures:\n  funding: {figure}\n"
    expect(
        problems(make_site(tmp_path, {"units/demo/2021.yaml": year})),
        "units/demo/2021.yaml",
        6,
        None,
        "number" if "e" in figure else "too large",
    )


# --------------------------------------------------------------------------- whole sites from valid content


@functools.cache
def assets() -> dict:
    return collect_assets(ROOT / "templates")


def html_errors(data: bytes) -> list:
    parser = html5lib.HTMLParser(namespaceHTMLElements=False)
    parser.parse(data)
    return parser.errors


def check_site(content) -> None:
    """Render ``content``: only content errors, every page parses cleanly, feeds are XML."""
    built = only_content_errors(render_site, content, ROOT / "templates", content.site.base_url, assets())
    if isinstance(built, Exception):
        return
    _, files = built
    for name, data in files.items():
        if name.endswith(".html"):
            assert html_errors(data) == [], name
        elif name.endswith(".xml"):
            ET.fromstring(data)


TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=24) | st.sampled_from(
    PAYLOADS
)


def fuzzed_site(words: list[str], body: str) -> dict[str, str]:
    a, b, c, d, e = words
    return {
        "site.yaml": f"name:\n  zh: {yaml_str(a)}\n  en: {yaml_str(b)}\norganizer: {yaml_str(c)}\n"
        "base_url: https://www.example.gov.cn/pufa/\n",
        "observances.yaml": f"observances:\n  - id: constitution-day\n    name: {yaml_str(d)}\n    date: 12-04\n"
        f"kinds:\n  - id: lecture\n    name: {yaml_str(e)}\n",
        "units/demo/unit.yaml": f"name: {yaml_str(e)}\n",
        "units/demo/2021.yaml": f"events:\n  - date: 2021-12-04\n    title: {yaml_str(a)}\n"
        "    observance: constitution-day\n  - date: 2021-03-01\n    title: x\n    kind: lecture\n",
        "units/demo/2021.zh.md": body,
        "news/2021-05-01-x.zh.md": f"---\ntitle: {yaml_str(b)}\ndate: 2021-05-01\nsource: {yaml_str(c)}\n"
        f"summary: {yaml_str(d)}\n---\n{body}",
    }


@BUILDS
@given(st.lists(TEXT, min_size=5, max_size=5), tokens(MARKDOWN_TOKENS))
def test_any_text_in_valid_content_builds_clean_html(words: list[str], body: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        content = only_content_errors(load_content, make_site(Path(tmp), fuzzed_site(words, body)))
        if not isinstance(content, Exception):
            check_site(content)


def test_printable_drops_every_forbidden_character_and_keeps_the_rest() -> None:
    """``printable`` skips the pattern for a text Python calls printable: that is safe only while every forbidden
    character is one Python does not call printable; this walks all of Unicode."""
    from sitegen.site.render import _FORBIDDEN_CHARS

    forbidden = "".join(chr(c) for c in range(0x110000) if _FORBIDDEN_CHARS.match(chr(c)))
    assert len(forbidden) > 2000 and not any(c.isprintable() for c in forbidden)
    text = "普法 Law\t1,234\n\u3000" + forbidden + "ok"
    assert printable(text) == "普法 Law\t1,234\n\u3000ok"
    assert printable("宣传活动 lecture") == "宣传活动 lecture"


# --------------------------------------------------------------------------- Markdown


@given(tokens(MARKDOWN_TOKENS))
def test_markdown_gives_clean_html_or_content_errors(text: str) -> None:
    html = only_content_errors(render_markdown, text)
    if isinstance(html, Exception):
        return check_located(html, text)
    parser = html5lib.HTMLParser(namespaceHTMLElements=False)
    fragment = parser.parseFragment(printable(html))  # as pages show it: render.py drops control characters
    assert parser.errors == [], html
    for el in fragment.iter():
        assert el.tag not in ("script", "style", "iframe", "object", "svg", "math"), html
        assert not [a for a in el.attrib if a.lower().startswith("on") or a.lower() == "style"], html


@given(tokens(MARKDOWN_TOKENS), st.integers(1, 500), st.dictionaries(st.text(max_size=8), st.text(max_size=8)))
def test_placeholders_are_filled_or_located(text: str, start: int, known: dict[str, str]) -> None:
    errors: list[ContentError] = []
    out = only_content_errors(fill_placeholders, Markdown(text, Path("fuzz.zh.md"), start), known.get, errors)
    assert isinstance(out, str | Exception)
    for e in errors:
        assert start <= e.line <= start + lines_of(text) and e.column >= 1, e


# --------------------------------------------------------------------------- charts

QUANTITY = st.one_of(
    st.none(),
    st.builds(Quantity.of, st.integers(0, 10**12) | st.floats(0, 1e12, allow_nan=False)),
    st.builds(Quantity.of, st.integers(0, 10**6), st.sampled_from(["more_than", "at_least", "about"])),
    st.builds(lambda t: Quantity(redacted=t), st.text(min_size=1, max_size=5)),
)


@st.composite
def chart_specs(draw) -> ChartSpec:
    categories = tuple(draw(st.lists(TEXT, min_size=1, max_size=6)))
    names = draw(st.lists(TEXT, min_size=1, max_size=4, unique=True))
    series = tuple(
        Series(n, tuple(draw(QUANTITY) for _ in categories), kind=draw(st.sampled_from(["bar", "line"]))) for n in names
    )
    return ChartSpec(
        name=draw(TEXT),
        lang=draw(st.sampled_from(["zh", "en"])),
        title=draw(TEXT),
        categories=categories,
        series=series,
        axis_names=(draw(TEXT),),
        summary=draw(TEXT),
        category_label=draw(TEXT),
    )


@given(chart_specs())
def test_chart_labels_round_trip_through_json_csv_and_html(spec: ChartSpec) -> None:
    chart = render_chart(spec, LOCALES[spec.lang].quantity)
    assert not set(chart.options_json) & set("<>&\u2028\u2029")
    options = json.loads(chart.options_json)
    assert [s["name"] for s in options["series"]] == [s.name for s in spec.series]
    assert options["xAxis"][0]["data"] == list(spec.categories)
    page = f'<!DOCTYPE html><title>t</title><script type="application/json">{chart.options_json}</script>'
    tree = html5lib.parse(page, namespaceHTMLElements=False)
    assert [json.loads(s.text) for s in tree.iter("script")] == [options]
    rows = list(csv.reader(io.StringIO(chart.csv, newline="")))
    assert len(rows) == len(spec.categories) + 1 and all(len(r) == len(spec.series) + 1 for r in rows)
    for cell in (c for row in rows for c in row):
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


@given(st.lists(st.text(max_size=6), max_size=12))
def test_series_labels_are_distinct_whatever_the_names(names: list[str]) -> None:
    cats = [f"c{i}" for i in range(len(names))]
    labels = series_labels(cats, dict(zip(cats, names, strict=True)))
    assert len(set(labels)) == len(labels) == len(names)
    assert all(label.startswith(name) for label, name in zip(labels, names, strict=True))
