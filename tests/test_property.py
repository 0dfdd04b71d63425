"""Whatever an editor types, the reader answers with ContentErrors, never with a crash."""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from pydantic_core import PydanticCustomError

from conftest import MINIMAL_SITE, YEAR_FILE, make_site
from sitegen.content.loader import load_content
from sitegen.content.values import parse_date, parse_datetime, parse_number
from sitegen.content.yamlsource import SourceText, decode_source, parse_yaml, split_front_matter
from sitegen.errors import ContentErrors

FRAGMENTS = [
    ":", ": ", "- ", "  ", "\t", "\n", "\r\n", "[", "]", "{", "}", ",", "&a", "*a", "!!", "!", "!!str ",
    '"', "'", "|", ">", "：", "\u3000", "---", "...", "#", "? ", "%YAML 1.1\n", "－ ", "\ufeff", "\x07",
    "title", "events", "date", "2021-12-04", "12,000", "１２", "1000余", "no", "~", "宪法",
]  # fmt: skip
yamlish = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=4)), max_size=50).map("".join)
any_text = st.one_of(st.text(), yamlish)

FAST = settings(max_examples=300, deadline=None)
SLOW = settings(max_examples=150, deadline=None)


@FAST
@given(any_text)
@example("a: &a [1]\nb: *a\n")
@example("[" * 1000)
@example('key: "unclosed')
def test_parse_yaml_raises_only_content_errors(text):
    try:
        parse_yaml(SourceText(Path("x.yaml"), text))
    except ContentErrors as exc:
        assert exc.errors
        for err in exc.errors:
            assert err.zh and err.en and err.line >= 0 and err.column >= 0


@FAST
@given(any_text)
@example("---\n")
@example("---\n- a\n---\n")
def test_front_matter_raises_only_content_errors(text):
    with contextlib.suppress(ContentErrors):
        split_front_matter(SourceText(Path("x.md"), "---\n" + text))


@FAST
@given(st.one_of(st.binary(), yamlish.map(lambda s: s.encode("utf-8")), any_text.map(lambda s: s.encode("gb18030"))))
@example(b"\xff\xfe" + "a: 1".encode("utf-16-le"))
@example("标题: 值".encode("gbk"))
def test_bytes_raise_only_content_errors(raw):
    with contextlib.suppress(ContentErrors):
        parse_yaml(decode_source(Path("x.yaml"), raw))


@pytest.fixture(scope="module")
def scratch_site(tmp_path_factory) -> Path:
    return make_site(tmp_path_factory.mktemp("property"))


@SLOW
@given(target=st.sampled_from([YEAR_FILE, "site.yaml"]), text=any_text)
def test_load_content_raises_only_content_errors(scratch_site, target, text):
    path = scratch_site / target
    path.write_text(text, encoding="utf-8", errors="surrogatepass", newline="")
    try:
        load_content(scratch_site)
    except ContentErrors as exc:
        assert any(err.severity == "error" for err in exc.errors)
    finally:
        path.write_text(MINIMAL_SITE[target], encoding="utf-8")


NUMBERISH = st.text(alphabet="0123456789,.万亿千余多以上约左右超过不少于+-~xX元人次１２，  ", max_size=12)


@FAST
@given(st.one_of(st.text(), NUMBERISH))
@example("1,2")
@example("约1000余")
def test_parse_number_returns_a_number_or_a_problem(text):
    try:
        value, qualifier = parse_number(text)
    except PydanticCustomError as exc:
        assert exc.context["zh"] and exc.context["en"]
        return
    assert isinstance(value, int | float) and value >= 0
    assert qualifier in ("exact", "more_than", "at_least", "about")


def _year_zero(text: str) -> bool:
    """Year 0 hits a known bug (see test_values.test_year_zero_is_a_bilingual_problem)."""
    head = re.sub(r"\s+", "", text)[:4]
    return len(head) == 4 and head.isdecimal() and int(head) == 0


DATEISH = st.from_regex(r"\d{4}[-./年]\d{1,2}[-./月]\d{1,2}日?( \d{1,2}[:时]\d{1,2}分?)?", fullmatch=True)


@FAST
@given(st.one_of(st.text(), DATEISH))
def test_parse_date_returns_a_date_or_a_problem(text):
    assume(not _year_zero(text))
    for parse in (parse_date, parse_datetime):
        try:
            parse(text)
        except PydanticCustomError as exc:
            assert exc.context["zh"] and exc.context["en"]
