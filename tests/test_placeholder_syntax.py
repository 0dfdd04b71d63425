"""A figure placeholder typed wrongly is an error at its line, never text on the page."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.content.model import Markdown
from sitegen.site.markup import render_text

FIGURES = {"events": "26"}


def render(body: str, errors: list) -> str:
    return render_text(Markdown(body, Path("content/units/demo/2021.zh.md"), 3), FIGURES.get, errors)


@pytest.mark.parametrize(
    ("typed", "column"),
    [
        ("｛｛ events ｝｝", 3),
        ("｛｛events｝｝", 3),
        ("{{ events ｝｝", 3),
        ("｛{ events }}", 3),
        ("{{ events", 3),
        ("{ { events } }", 3),
        ("events }}", 10),
    ],  # the column of the broken brace pair, counted in characters
)
def test_malformed_placeholder_is_located(typed: str, column: int) -> None:
    errors: list = []
    assert render(f"全年共开展\n活动{typed}场。", errors) == ""
    [error] = errors
    assert (error.path, error.line, error.column) == ("content/units/demo/2021.zh.md", 4, column)
    assert "full-width braces" in error.en and error.source_line == f"活动{typed}场。"


def test_good_placeholders_and_single_braces_pass() -> None:
    errors: list = []
    html = render("全年共开展 {{ events }} 场，{{events}} 场；集合 {a, b} 与 } 不是占位符。", errors)
    assert errors == [] and html.count("26") == 2


def test_an_error_is_reported_once_per_line() -> None:
    errors: list = []
    render("｛｛ events ｝｝ 和 ｛｛ funding ｝｝", errors)
    assert len(errors) == 1


def test_an_unclosed_pair_followed_by_many_spaces_is_one_error() -> None:
    """Once a backtracking trap for the placeholder pattern; now one located error."""
    errors: list = []
    render("{{" + " " * 19_000, errors)
    assert [(e.line, e.column) for e in errors] == [(3, 1)]
