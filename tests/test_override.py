"""A site's ``templates/`` overrides the theme file by file; a missing name says where it looked."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.errors import ContentErrors
from sitegen.site.pipeline import build

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
THEME = ROOT / "templates"


def built(templates: Path, tmp_path: Path) -> dict[str, bytes]:
    return build(CONTENT, tmp_path / "unused", templates=templates, write=False).files


def test_overriding_only_base_html_keeps_the_rest_of_the_theme(tmp_path: Path) -> None:
    mine = tmp_path / "templates"
    mine.mkdir()
    base = (THEME / "base.html").read_text(encoding="utf-8")
    (mine / "base.html").write_text(base.replace("<head>", "<head><!-- office-marker -->", 1), encoding="utf-8")
    files = built(mine, tmp_path)
    pages = [name for name in files if name.endswith(".html") and name != "index.html"]
    assert len(pages) > 40
    assert [name for name in pages if b"<!-- office-marker -->" not in files[name]] == []
    css = next(name for name in files if name.startswith("assets/site.") and name.endswith(".css"))
    assert files[css] == (THEME / "assets" / "site.css").read_bytes()


def test_overriding_an_asset_and_a_partial(tmp_path: Path) -> None:
    mine = tmp_path / "templates"
    (mine / "assets").mkdir(parents=True)
    (mine / "partials").mkdir()
    css = (THEME / "assets" / "site.css").read_bytes() + b"\n.office { color: #900; }\n"
    (mine / "assets" / "site.css").write_bytes(css)
    chart = (THEME / "partials" / "chart.html").read_text(encoding="utf-8")
    marked = chart.replace('<figure class="chart-block"', '<!-- my-chart --><figure class="chart-block"', 1)
    (mine / "partials" / "chart.html").write_text(marked, encoding="utf-8")
    files = built(mine, tmp_path)
    [name] = [n for n in files if n.startswith("assets/site.") and n.endswith(".css")]
    assert files[name] == css
    assert any(b"<!-- my-chart -->" in data for n, data in files.items() if n.endswith(".html"))


def test_an_empty_override_folder_is_the_theme(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    assert built(tmp_path / "templates", tmp_path) == built(THEME, tmp_path)


def test_a_missing_template_names_the_file_and_where_it_looked(tmp_path: Path) -> None:
    mine = tmp_path / "templates"
    mine.mkdir()
    (mine / "home.html").write_text('{% include "partials/no-such.html" %}', encoding="utf-8")
    with pytest.raises(ContentErrors) as caught:
        built(mine, tmp_path)
    [error] = {(e.path, e.en) for e in caught.value.errors}
    assert "partials/no-such.html" in error[1] and "templates" in error[1] and "not found" in error[1]
