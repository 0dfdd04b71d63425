"""Rendered pages kept in the build cache (:mod:`sitegen.site.pagecache`): a warm build renders only the slots
whose inputs changed, and writes the bytes of a cold build whatever the cache holds."""

from __future__ import annotations

import shutil
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from sitegen.office import downloads
from sitegen.site import theme
from sitegen.site.buildcache import BuildCache
from sitegen.site.pagecache import reads_only_unit_names
from sitegen.site.pipeline import build
from sitegen.site.render import Renderer

ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2025, 12, 1)
UNIT = "xinzhou-office"
ALWAYS = {"home.html", "news_list.html", "units.html", "overview.html", "search.html", "opendata.html"}
"""Pages planned and rendered by every build: they read every unit (and the sitemap, the 404)."""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    shutil.copytree(theme.theme_dir(), tmp_path / "templates")
    return shutil.copytree(ROOT / "content", tmp_path / "content")


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> Counter[tuple[str, str]]:
    """Each page rendered, as (template, route), counted (the example renders in one process)."""
    counts: Counter[tuple[str, str]] = Counter()
    page = Renderer.page

    def counting(self: Renderer, p):  # type: ignore[no-untyped-def]
        counts[p.template, p.route] += 1
        return page(self, p)

    monkeypatch.setattr(Renderer, "page", counting)
    return counts


def files(site: Path, cache: BuildCache | None, templates: Path | None = None, **options: object) -> dict[str, bytes]:
    result = build(
        site,
        Path("unused"),
        templates=templates or site.parent / "templates",
        write=False,
        today=TODAY,
        cache=cache,
        **options,
    )  # type: ignore[arg-type]
    return dict(result.files)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_warm_build_renders_only_the_pages_that_read_every_unit(site: Path, tmp_path: Path, rendered) -> None:
    cold = files(site, None)
    files(site, BuildCache(tmp_path / "cache"))
    rendered.clear()
    assert files(site, BuildCache(tmp_path / "cache")) == cold
    templates = {template for template, _ in rendered}
    assert templates <= ALWAYS | {"sitemap.html", "404.html"} and "home.html" in templates
    assert not any(route.startswith(("zh/units/", "en/units/")) and route.count("/") > 3 for _, route in rendered)
    lists = [route for template, route in rendered if template == "news_list.html"]
    assert lists and not any("/units/" in route for route in lists)  # a column's list, not a unit's


def test_an_edit_renders_its_units_pages_again_and_no_other_units(site: Path, tmp_path: Path, rendered) -> None:
    files(site, BuildCache(tmp_path / "cache"))
    edit(site / "units" / UNIT / "2023.yaml", "participants: 160", "participants: 161")  # a consultation's
    cold = files(site, None)
    rendered.clear()
    assert files(site, BuildCache(tmp_path / "cache")) == cold
    units = {route.split("/")[2] for _, route in rendered if route.split("/")[1:2] == ["units"]} - {""}  # not the index
    assert units == {UNIT}
    assert ("year.html", f"zh/units/{UNIT}/2023/") in rendered and ("year.html", f"en/units/{UNIT}/2023/") in rendered
    assert any(template == "group.html" for template, _ in rendered)  # its group's totals changed


def test_a_warm_build_over_processes_writes_the_bytes_of_a_cold_one(site: Path, tmp_path: Path) -> None:
    files(site, BuildCache(tmp_path / "cache"))
    edit(site / "units" / UNIT / "2023.zh.md", "2023年是", "二〇二三年是")
    cold = files(site, None, jobs=1)
    assert files(site, BuildCache(tmp_path / "cache"), jobs=2) == cold


def test_a_kept_page_whose_office_file_is_gone_is_planned_again(
    site: Path, tmp_path: Path, rendered, monkeypatch: pytest.MonkeyPatch
) -> None:
    cold = files(site, None)
    files(site, BuildCache(tmp_path / "cache"))
    monkeypatch.setattr(downloads, "kept", lambda key: None)  # the cache lost every Word and Excel file
    rendered.clear()
    assert files(site, BuildCache(tmp_path / "cache")) == cold
    assert ("year.html", f"zh/units/{UNIT}/2023/") in rendered


def test_a_site_template_that_reads_more_of_the_content_renders_every_page(
    site: Path, tmp_path: Path, rendered
) -> None:
    own = tmp_path / "own"
    own.mkdir()
    base = (theme.theme_dir() / "base.html").read_text(encoding="utf-8")
    marker = "{{ content.news | length }}"
    (own / "base.html").write_text(base.replace("</body>", f"<!-- {marker} --></body>", 1), encoding="utf-8")
    files(site, BuildCache(tmp_path / "cache"), own)
    rendered.clear()
    first = sorted((site / "news").glob("*.zh.md"))[0]  # another news item: only the news count changes
    (site / "news" / "2021-05-20-another.zh.md").write_text(first.read_text(encoding="utf-8"), encoding="utf-8")
    cold = files(site, None, own)
    assert files(site, BuildCache(tmp_path / "cache"), own) == cold
    assert ("year.html", f"zh/units/{UNIT}/2023/") in rendered


@pytest.mark.parametrize(
    ("text", "known"),
    [
        ("<p>{{ page.title }}</p><meta name='x' content='y'>", True),
        ("{% for u in content.units %}{{ u.id }} {{ tr(u.info.name) }}{% endfor %}", True),
        ("{{ content.units | length }}", True),
        ("{{ content.news | length }}", False),
        ("{% set c = content %}{{ c.units[0].records }}", False),
        ("{% for u in content.units %}{{ u.records }}{% endfor %}", False),
        ("{{ content.units[0].years }}", False),
    ],
)
def test_which_templates_read_only_the_units_names(text: str, known: bool) -> None:
    assert reads_only_unit_names(text) is known


def test_the_theme_reads_only_the_units_names() -> None:
    for path in theme.theme_dir().rglob("*.*"):
        if path.suffix in (".html", ".xml", ".txt"):
            assert reads_only_unit_names(path.read_text(encoding="utf-8")), path
