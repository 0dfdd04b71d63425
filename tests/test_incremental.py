"""Rebuilds after a change (``serve``) are exact and proportional to the change.

Exact: after each edit of a sequence, the incremental rebuild gives the same files, byte for
byte, as a clean build of the same sources in a fresh process. Proportional: an edit of one
unit's year renders only the pages that show it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT
from livepreview import edit
from sitegen.errors import ContentErrors
from sitegen.office import downloads
from sitegen.preview.incremental import SiteBuilder
from sitegen.preview.watcher import Watcher
from sitegen.site import pipeline
from sitegen.site.outputguard import MARKER
from sitegen.site.pipeline import build

CLEAN_BUILD = """
import sys
from pathlib import Path
from typing import Any
sys.path.insert(0, sys.argv[1])
from sitegen.site.pipeline import build
build(Path(sys.argv[2]), Path(sys.argv[3]), templates=Path(sys.argv[4]))
"""

XINZHOU = "content/units/xinzhou-office"


def clean_build(site: Path, out: Path) -> dict[str, bytes]:
    """Every file of a clean build in a fresh interpreter."""
    shutil.rmtree(out, ignore_errors=True)
    args = [str(ROOT / "src"), str(site / "content"), str(out), str(site / "templates")]
    subprocess.run([sys.executable, "-c", CLEAN_BUILD, *args], check=True, cwd=ROOT, timeout=120)
    files = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    return {name: data for name, data in files.items() if name != MARKER}  # the output's marker is not the site


def assert_same(incremental: dict[str, bytes], clean: dict[str, bytes], step: str) -> None:
    missing, extra = sorted(clean.keys() - incremental.keys()), sorted(incremental.keys() - clean.keys())
    differ = sorted(name for name in clean.keys() & incremental.keys() if clean[name] != incremental[name])
    assert not (missing or extra or differ), f"{step}: missing {missing[:5]}, extra {extra[:5]}, differ {differ[:5]}"


def rename(site: Path, old: str, new: str) -> None:
    os.replace(site / old, site / new)


EDITS: list[tuple[str, Callable[[Path], None]]] = [
    ("a figure", lambda s: edit(s / f"{XINZHOU}/2023.yaml", "participants: 44", "participants: 45")),
    ("a narrative", lambda s: edit(s / f"{XINZHOU}/2023.zh.md", "2023年是", "二〇二三年是")),
    (
        "a template",
        lambda s: edit(
            s / "templates/year.html", "<h1>{{ page.title | marked }}</h1>", "<h1>{{ page.title | marked }}!</h1>"
        ),
    ),
    ("a stylesheet", lambda s: edit(s / "templates/assets/site.css", "{", "{ /* edited */")),
    ("site.yaml", lambda s: edit(s / "content/site.yaml", "普法动态（示例站点）", "普法动态（示例）")),
    ("a unit's short name", lambda s: edit(s / f"{XINZHOU}/unit.yaml", "新洲区委办公室\n", "新洲区委办\n")),
    ("an observance's name", lambda s: edit(s / "content/observances.yaml", "zh: 国家宪法日", "zh: 宪法日")),
    ("the base URL", lambda s: edit(s / "content/site.yaml", "https://www.example.gov.cn/pufa/", "https://x.cn/")),
    (
        "a translation added",
        lambda s: (s / f"{XINZHOU}/2025.en.md").write_text("## 2025\n\nEvents: {{ events }}.\n", encoding="utf-8"),
    ),
    (
        "a file added",
        lambda s: shutil.copy(
            s / "content/news/2024-04-25-secrecy-law.zh.md", s / "content/news/2024-04-26-secrecy-law-again.zh.md"
        ),
    ),
    ("a file deleted", lambda s: (s / "content/news/2021-05-19-civil-code-month.en.md").unlink()),
    (
        "a file renamed",
        lambda s: rename(s, "content/news/2024-04-25-secrecy-law.zh.md", "content/news/2024-04-24-secrecy.zh.md"),
    ),
    ("a year's narrative renamed", lambda s: rename(s, f"{XINZHOU}/2024.en.md", f"{XINZHOU}/2024.en.md.bak")),
]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    for folder in ("content", "templates"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


@pytest.mark.parametrize(
    "defer_office", [False, True], ids=["office-files-at-once", "office-files-when-read-told-by-the-watcher"]
)
def test_every_rebuild_equals_a_clean_build(site: Path, tmp_path: Path, defer_office: bool) -> None:
    """As serve builds (office files when read, the watcher telling what changed) and without either."""
    builder = SiteBuilder(site / "content", site / "templates", defer_office=defer_office)
    watcher = Watcher([site / "content", site / "templates"])
    assert_same(dict(builder.build().files), clean_build(site, tmp_path / "clean"), "first build")
    for step, change in EDITS:
        change(site)
        result = builder.build(watcher.poll() if defer_office else None)
        assert result.changed or result.removed, f"{step}: nothing changed"
        assert_same(dict(result.files), clean_build(site, tmp_path / "clean"), step)


def test_serve_writes_an_office_file_only_when_it_is_read(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    written: list[str] = []
    write = downloads._write_download
    monkeypatch.setattr(downloads, "_write_download", lambda d: written.append(d.name) or write(d))
    monkeypatch.setattr(downloads, "_MEMORY", downloads._Memory())  # nothing written earlier in this process
    builder = SiteBuilder(site / "content", site / "templates", defer_office=True)
    files = builder.build().files
    office = sorted(n for n in files if n.endswith((".docx", ".xlsx")))
    assert office and "data/statistics.xlsx" in office and written == []
    report = "zh/units/xinzhou-office/bawu/xinzhou-office-bawu.docx"  # a report's 公文
    assert files[report].startswith(b"PK") and written == [report.rsplit("/", 1)[1]]
    edit(site / f"{XINZHOU}/2023.yaml", "participants: 44", "participants: 45")
    again = builder.build()
    touched = sorted(n for n in again.changed if n.endswith((".docx", ".xlsx")))
    assert touched and all("xinzhou-office" in n or n == "data/statistics.xlsx" for n in touched), touched
    assert len(written) == 1  # telling what changed wrote nothing either


def test_warnings_follow_each_rebuild_though_unchanged_files_keep_their_findings(site: Path) -> None:
    builder = SiteBuilder(site / "content", site / "templates")

    def placeholders(result: Any) -> list[str]:
        return [Path(w.path).relative_to(site).as_posix() for w in result.warnings if "占位值" in w.zh]

    assert placeholders(builder.build()) == []
    edit(site / f"{XINZHOU}/2023.yaml", "zh: 召开2023年度普法工作部署会", "zh: 待填写")
    assert placeholders(builder.build()) == [f"{XINZHOU}/2023.yaml"]
    assert placeholders(builder.build()) == [f"{XINZHOU}/2023.yaml"]  # unchanged: the kept finding
    edit(site / f"{XINZHOU}/2023.yaml", "zh: 待填写", "zh: 召开2023年度普法工作部署会")
    assert placeholders(builder.build()) == []


def test_a_broken_file_then_its_fix_rebuilds_exactly(site: Path, tmp_path: Path) -> None:
    builder = SiteBuilder(site / "content", site / "templates")
    builder.build()
    edit(site / f"{XINZHOU}/2023.yaml", "participants: 44", "participants: 四十四")
    with pytest.raises(ContentErrors):
        builder.build()
    edit(site / f"{XINZHOU}/2023.yaml", "participants: 四十四", "participants: 46")
    assert_same(dict(builder.build().files), clean_build(site, tmp_path / "clean"), "after the fix")


def test_one_event_rerenders_only_the_pages_that_show_it(site: Path) -> None:
    builder = SiteBuilder(site / "content", site / "templates")
    first = builder.build()
    edit(site / f"{XINZHOU}/2023.yaml", "participants: 44", "participants: 45")
    result = builder.build()
    assert result.parsed == 1
    rendered_elsewhere = result.rendered
    # This unit's pages (years, reports, unit page), the home pages, unit index and sitemaps: in both languages.
    assert rendered_elsewhere < 40 < first.pages
    own = [n for n in result.changed if not n.startswith(("pagefind/", "data/"))]  # the index and open data change too
    assert {name.split("/")[1] for name in own if name.count("/") > 1} <= {"units", "overview"}
    assert {n.split("/")[1] for n in result.changed if n.startswith("data/")} <= {"xinzhou-office", "statistics.xlsx"}
    assert not [n for n in result.changed if "municipal-bureau" in n or "/news/" in n], result.changed
    assert builder.build().rendered == 0  # nothing changed: nothing rendered


def test_a_narrative_edit_renders_only_the_page_that_shows_it(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages name a unit by what they show of it (`UnitRef`), not by the whole unit with every narrative: on a
    300-unit site a narrative edit rendered the unit's 36 pages and every list of units again, 0.3 s a rebuild."""
    from sitegen.site.render import Renderer

    builder = SiteBuilder(site / "content", site / "templates")
    builder.build()
    seen: list[str] = []
    page = Renderer.page
    monkeypatch.setattr(Renderer, "page", lambda self, p: seen.append(p.output) or page(self, p))
    edit(site / f"{XINZHOU}/2023.zh.md", "2023年是", "二〇二三年是")
    result = builder.build()
    assert seen == ["zh/units/xinzhou-office/2023/index.html"]
    assert [n for n in result.changed if n.endswith(".html")] == seen
    assert_same(dict(result.files), clean_build(site, site.parent / "clean"), "after the narrative edit")


def test_a_narrative_edit_converts_only_its_text_and_lists_only_its_unit_again(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A unit folder reused whole gives the same unit object, and an unchanged text is not converted again: what
    later stages keep by identity (each unit's list of publications, each text's HTML) holds (on 300 units: a
    narrative edit 0.55 -> 0.35 s)."""
    from sitegen.site import markup, unitpages

    watcher = Watcher([site / "content", site / "templates"])
    builder = SiteBuilder(site / "content", site / "templates")
    builder.build()
    converted: list[str] = []
    listed: list[str] = []
    convert, publications = markup._converted, unitpages._publications
    monkeypatch.setattr(
        markup, "_converted", lambda text, *a: converted.append(f"{text.path}:{text.text[:30]}") or convert(text, *a)
    )
    monkeypatch.setattr(unitpages, "_publications", lambda c, u, loc: listed.append(u.id) or publications(c, u, loc))
    edit(site / f"{XINZHOU}/2023.zh.md", "2023年是", "二〇二三年是")
    result = builder.build(watcher.poll())
    assert converted and all("二〇二三年是" in text for text in converted)
    assert listed == ["xinzhou-office", "xinzhou-office"]  # in each language
    assert_same(dict(result.files), clean_build(site, site.parent / "clean"), "after the narrative edit")


def test_told_what_changed_a_rebuild_reuses_the_other_unit_folders_unlisted(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """serve's watcher tells the builder what changed: a unit folder in which nothing did is reused as it is,
    neither listed nor its files looked at (9,300 files were a third of a 300-unit site's loading); told
    nothing, a build looks at every folder."""
    from sitegen.content import safefs

    watcher = Watcher([site / "content", site / "templates"])
    builder = SiteBuilder(site / "content", site / "templates")
    builder.build()
    listed: list[str] = []
    listdir = safefs.listdir
    monkeypatch.setattr(safefs, "listdir", lambda folder, *a: listed.append(Path(folder).name) or listdir(folder, *a))
    edit(site / f"{XINZHOU}/2023.yaml", "participants: 44", "participants: 45")
    result = builder.build(watcher.poll())
    assert "xinzhou-office" in listed and "municipal-bureau" not in listed
    assert result.parsed == 1 and "zh/units/xinzhou-office/2023/index.html" in result.changed
    listed.clear()
    builder.build()
    assert {"xinzhou-office", "municipal-bureau"} <= set(listed)


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need rights on Windows")
def test_a_unit_folder_holding_a_link_is_read_though_the_watcher_saw_no_change_in_it(site: Path) -> None:
    """The watcher sees a linked file change where the file really is; the folder with the link is read again."""
    shared = site / "content/static/notes.md"
    shared.write_text("## 2023\n\n共享说明。\n", encoding="utf-8")
    narrative = site / f"{XINZHOU}/2023.zh.md"
    narrative.unlink()
    narrative.symlink_to(shared)
    watcher = Watcher([site / "content", site / "templates"])
    builder = SiteBuilder(site / "content", site / "templates")
    assert "共享说明" in builder.build().files["zh/units/xinzhou-office/2023/index.html"].decode()
    edit(shared, "共享说明", "更新的说明")
    changed = watcher.poll()
    assert changed == {shared}
    page = builder.build(changed).files["zh/units/xinzhou-office/2023/index.html"].decode()
    assert "更新的说明" in page


def test_a_figure_edit_plans_again_only_the_group_of_its_unit(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A group's page is planned again only when its units' figures changed (300 units in 10 groups: every group
    page and its charts were planned at each rebuild); the rebuild still equals a clean build."""
    from sitegen.site import pages

    builder = SiteBuilder(site / "content", site / "templates")
    builder.build()
    planned: list[str] = []
    plan = pages.group_page
    monkeypatch.setattr(
        pages, "group_page", lambda content, f, group, loc: planned.append(group.id) or plan(content, f, group, loc)
    )
    edit(site / f"{XINZHOU}/2023.yaml", "amount: 12,400", "amount: 12,500")
    result = builder.build()
    assert planned == ["party-organs", "party-organs"]  # in both languages
    assert (
        "zh/groups/party-organs/index.html" in result.changed
        and "zh/groups/government/index.html" not in result.changed
    )
    assert_same(dict(result.files), clean_build(site, site.parent / "clean"), "after the edit")


def test_a_same_size_edit_within_the_same_timestamp_is_seen(site: Path) -> None:
    builder = SiteBuilder(site / "content", site / "templates")
    builder.build()
    path = site / f"{XINZHOU}/2023.yaml"
    before = path.stat()
    edit(path, "participants: 44", "participants: 45")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # same size, same mtime, same inode
    assert (path.stat().st_size, path.stat().st_ino) == (before.st_size, before.st_ino)
    result = builder.build()
    assert "zh/units/xinzhou-office/2023/index.html" in result.changed
    clean = build(site / "content", site / "unused", templates=site / "templates", write=False)
    assert_same(dict(result.files), clean.files, "same size, same time stamp")


def test_the_builder_goes_through_the_build_recipe(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """serve's rebuilds are `pipeline.build` with caches passed in: a stage changed there changes them too,
    and they carry its stage timings."""
    recipe, stage = pipeline.build, pipeline.site_files
    calls: list[dict[str, object]] = []

    def build_spy(*args: Any, **kwargs: Any) -> pipeline.BuildResult:
        calls.append(kwargs)
        return recipe(*args, **kwargs)

    monkeypatch.setattr(pipeline, "build", build_spy)
    monkeypatch.setattr(pipeline, "site_files", lambda *a, **k: {**stage(*a, **k), "probe.txt": b"from the recipe"})
    builder = SiteBuilder(site / "content", site / "templates")
    first = builder.build()
    assert first.files["probe.txt"] == b"from the recipe"
    assert [(call["write"], call["reuse"]) for call in calls] == [(False, builder.caches)]
    assert [name for name, _ in first.timings] == ["load", "assets", "render", "search", "write", "total"]
    assert first.seconds == dict(first.timings)["total"]
    edit(site / f"{XINZHOU}/2023.yaml", "participants: 44", "participants: 45")
    again = builder.build()
    assert "probe.txt" in again.files and again.parsed == 1 and again.rendered < first.rendered  # caches used


def test_the_watcher_sees_every_kind_of_save(site: Path) -> None:
    watcher = Watcher([site / "content", site / "templates"])
    path = site / f"{XINZHOU}/2023.zh.md"
    assert watcher.poll() == set()
    before = path.stat()
    edit(path, "2023年是", "2023年乃")  # same size; the time stamp put back
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path in watcher.poll() or path in watcher.poll()
    edit(path, "2023年乃", "2023年是")  # again within the same moment: seen by content
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert watcher.poll() == {path}
    temporary = path.with_name(".2023.zh.md.swp")
    temporary.write_text("draft", encoding="utf-8")  # editor files are not content
    assert watcher.poll() == set()
    os.replace(temporary, path)
    assert watcher.poll() == {path}
    folder = site / "content/units/new-unit"
    folder.mkdir()
    assert watcher.poll() == {folder}
    shutil.rmtree(folder)
    time.sleep(0.01)
    assert watcher.poll() == {folder}


def test_the_watcher_waits_for_a_save_to_settle_in_its_folder_and_misses_nothing_elsewhere(site: Path) -> None:
    """Once a save is seen, serve polls only the folders that changed until they are quiet (a 300-unit tree took
    40 ms a poll); a save elsewhere meanwhile is seen by the next poll of the whole tree, and nothing twice."""
    watcher = Watcher([site / "content", site / "templates"])
    unit = site / XINZHOU
    year = unit / "2023.zh.md"
    edit(year, "2023年是", "2023年乃")
    assert watcher.poll() == {year}
    temporary = unit / "2023.zh.md.tmp~new"
    temporary.write_text("二〇二三年", encoding="utf-8")  # a save in two steps: a new file, then a rename
    assert watcher.poll_near({year}) == {temporary}
    os.replace(temporary, year)
    elsewhere = site / "content/site.yaml"
    edit(elsewhere, "普法动态（示例站点）", "普法动态（示例）")
    assert watcher.poll_near({year, temporary}) == {year, temporary}
    added = unit / "photos"
    added.mkdir()
    (added / "a.jpg").write_bytes(b"jpeg")
    assert watcher.poll_near({year}) == {added, added / "a.jpg"}
    assert watcher.poll_near({year, added}) == set()  # quiet
    shutil.rmtree(added)
    assert watcher.poll_near({year}) == {added}  # what it held goes with it: not reported again
    assert watcher.poll() == {elsewhere}
    assert watcher.poll() == set()
    shutil.rmtree(site / "templates")  # a root itself gone: its folder is not watched, so the whole tree is polled
    gone = watcher.poll_near({site / "templates"})
    assert site / "templates/base.html" in gone and site / "templates/assets/site.css" in gone
    assert watcher.poll() == set()


def test_templates_read_from_content_only_what_rebuilds_compare() -> None:
    """Rendered pages are reused when their Page and `incremental.shared_inputs` are equal; the
    units' names are all a template may read of `content` besides settings and categories."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "templates").rglob("*.*") if p.suffix != ".css")
    assert set(re.findall(r"\bcontent\.(\w+)", text)) <= {"units"}
    for variable, body in re.findall(r"{%-? for (\w+) in content\.units -?%}(.*?){%-? endfor", text, re.DOTALL):
        assert set(re.findall(rf"\b{variable}\.(\w+)", body)) <= {"id", "info"}


def test_figures_of_unchanged_units_are_kept_and_equal_a_fresh_computation(tmp_path: Path) -> None:
    """serve's rebuilds keep each unit's figures while its records are the same objects (the loader's cache hands
    them out): a 300-unit site's figures took a second a rebuild. The edited unit's period, and the site's over
    it, are computed again, and every figure equals what a computation from new objects gives."""
    from sitegen.content.identitymemo import keeping
    from sitegen.content.loader import load_content
    from sitegen.preview.loadcache import LoadCache
    from sitegen.site import figures

    site = tmp_path / "content"
    shutil.copytree(ROOT / "content", site)
    files = LoadCache(site)
    with keeping():  # as serve's builds
        before = figures.compute(load_content(site, files))
        year_file = site / "units" / "xinzhou-office" / "2021.yaml"
        text = year_file.read_text(encoding="utf-8")
        year_file.write_text(text.replace("participants: 56", "participants: 156", 1), encoding="utf-8")
        after = figures.compute(load_content(site, files))
    for unit, periods in after.units.items():
        for period, found in periods.items():
            edited = unit == "xinzhou-office" and 2021 in found.period.years
            assert (found is before.units[unit][period]) != edited, (unit, period)
    changed = [p for p, found in after.site.items() if found is not before.site[p]]
    assert changed == [p.id for p in load_content(site).periods if 2021 in p.years]
    fresh = figures.compute(load_content(site))  # new objects: nothing kept applies
    for unit, periods in fresh.units.items():
        for period, found in periods.items():
            assert (
                found.totals() == after.units[unit][period].totals() and found.years == after.units[unit][period].years
            )
    assert {p: f.totals() for p, f in fresh.site.items()} == {p: f.totals() for p, f in after.site.items()}
    assert before.units["xinzhou-office"] != after.units["xinzhou-office"]


class _Node:
    me: object = None


def test_serve_keeps_its_builds_out_of_the_collector_and_collects_at_idle(tmp_path: Path) -> None:
    """A full collection of a 300-unit site's heap took 1.7 s of every other rebuild: a build keeps what it made
    out of the collector while it runs and gives it back when it ends; serve's builder keeps its caches out
    after each build, and collects what the builds left when the saves pause."""
    import gc

    gc.unfreeze()
    try:
        build(ROOT / "content", tmp_path / "out", templates=ROOT / "templates", write=False)
        assert gc.get_freeze_count() == 0
        builder = SiteBuilder(ROOT / "content", ROOT / "templates")
        builder.build()
        kept = gc.get_freeze_count()
        assert kept > 10_000
        cycle = _Node()
        cycle.me = cycle  # garbage only the collector frees
        alive = weakref.ref(cycle)
        gc.freeze()
        del cycle
        gc.collect()
        assert alive() is not None  # kept out of the collector
        builder.collect()
        assert alive() is None and 0 < gc.get_freeze_count() < kept + 1_000
    finally:
        gc.unfreeze()


def test_a_figure_edit_renders_the_sitemaps_and_open_data_page_again_only_when_they_change(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sitemaps list pages by address and title, the open-data page links its files by name: a figure edit
    leaves them as they were (on a 300-unit site they were a fifth of a rebuild); a renamed unit does not."""
    from sitegen.site.render import Renderer

    builder = SiteBuilder(site / "content", site / "templates")
    builder.build()
    seen: list[str] = []
    page, simple = Renderer.page, Renderer.simple
    monkeypatch.setattr(Renderer, "page", lambda self, p: seen.append(p.output) or page(self, p))
    monkeypatch.setattr(Renderer, "simple", lambda self, name, **kw: seen.append(name) or simple(self, name, **kw))
    edit(site / f"{XINZHOU}/2023.yaml", "amount: 12,400", "amount: 12,500")
    result = builder.build()
    assert "data/xinzhou-office/2023.json" in result.changed and "zh/data/index.html" not in result.changed
    assert not [n for n in seen if "sitemap" in n or n.endswith("data/index.html")], seen
    edit(site / f"{XINZHOU}/unit.yaml", "zh: 新洲区委办公室", "zh: 新洲区委办")
    result = builder.build()
    assert {"sitemap.xml", "zh/sitemap/index.html", "zh/data/index.html"} <= set(seen)
    assert_same(dict(result.files), clean_build(site, site.parent / "clean"), "after the rename")
