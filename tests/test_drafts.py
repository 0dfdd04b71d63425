"""Drafts and scheduled news items (issue 10, part 5): left out of ``build`` unless ``--drafts`` /
``--future``, shown with a badge by ``serve`` (the real server, in a subprocess), listed by ``check``,
and never counted by the stale-column check.

A small site with one published item, one draft (dated before the day of the build) and one item dated
after it; the day of the build is fixed with ``--today``.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from conftest import ROOT, check_json, expect, make_site
from livepreview import Preview, get
from sitegen.content import drafts
from sitegen.content.loader import load_content
from sitegen.review.sitecheck import check_news_age
from sitegen.site.pipeline import build

TEMPLATES = ROOT / "templates"
TODAY = date(2026, 1, 10)
PUBLISHED, DRAFT, FUTURE = "2026-01-08-published", "2026-01-09-draft", "2026-02-01-scheduled"
SOURCE = "source: 某区委办公室\n"
NEWS = {
    f"news/{PUBLISHED}.zh.md": f"---\ntitle: 已发布的动态\ndate: 2026-01-08 09:00\n{SOURCE}---\n\n正文。\n",
    f"news/{PUBLISHED}.en.md": "---\ntitle: A published item\n---\n\nText.\n",
    f"news/{DRAFT}.zh.md": f"---\ntitle: 写作中的动态\ndate: 2026-01-09 10:00\n{SOURCE}draft: true\n---\n\n草稿。\n",
    f"news/{DRAFT}.en.md": "---\ntitle: An item being written\n---\n\nDraft text.\n",
    f"news/{FUTURE}.zh.md": f"---\ntitle: 下月发布的动态\ndate: 2026-02-01 08:00\n{SOURCE}---\n\n定时正文。\n",
    f"news/{FUTURE}.en.md": "---\ntitle: An item for next month\n---\n\nScheduled text.\n",
}
DRAFT_LINE, FUTURE_DATE_LINE = 5, 3
"""Where ``draft: true`` and the scheduled item's date are in their files."""


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_site(tmp_path_factory.mktemp("drafts"), NEWS)


def built(content: Path, shown: drafts.Unpublished = drafts.PUBLISHED_ONLY) -> dict[str, bytes]:
    result = build(content, content.parent / "unused", templates=TEMPLATES, write=False, today=TODAY, unpublished=shown)
    return result.files


def mentions(files: dict[str, bytes], news_id: str) -> list[str]:
    """The built files that name ``news_id`` (a page of it, a link to it, an entry in a feed or sitemap)."""
    return sorted(name for name, data in files.items() if news_id in name or news_id.encode() in data)


def page(files: dict[str, bytes], route: str) -> str:
    return files[route + "index.html"].decode("utf-8")


# --------------------------------------------------------------------------- build


def test_build_leaves_out_drafts_and_scheduled_items(content: Path) -> None:
    files = built(content)
    assert f"zh/news/{PUBLISHED}/index.html" in files and f"en/news/{PUBLISHED}/index.html" in files
    for left_out in (DRAFT, FUTURE):
        assert mentions(files, left_out) == []  # no page, list, home, feed, sitemap names it
    for where in ("zh/", "en/", "zh/news/", "en/news/", "zh/sitemap/"):
        assert PUBLISHED in page(files, where), where
    for feed in ("zh/feed.xml", "en/feed.xml", "sitemap.xml"):
        assert PUBLISHED.encode() in files[feed], feed
    assert "badge" not in page(files, "zh/news/")


@pytest.mark.parametrize(
    ("shown", "present", "absent"),
    [
        (drafts.Unpublished(drafts=True), DRAFT, FUTURE),
        (drafts.Unpublished(future=True), FUTURE, DRAFT),
    ],
)
def test_each_flag_brings_back_its_own_kind(content: Path, shown, present: str, absent: str) -> None:
    files = built(content, shown)
    assert mentions(files, absent) == []
    names = mentions(files, present)
    for name in (f"zh/news/{present}/index.html", f"en/news/{present}/index.html", "zh/news/index.html", "sitemap.xml"):
        assert name in names, name


def test_build_command_with_both_flags_marks_them(content: Path, tmp_path: Path) -> None:
    output = tmp_path / "output"
    command = [sys.executable, "build.py", "build", "-c", str(content), "-o", str(output), "--today", str(TODAY)]
    plain = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert plain.returncode == 0, plain.stderr
    assert f"left out: {DRAFT}, {FUTURE}" in plain.stderr and "--drafts" in plain.stderr
    assert not (output / "zh" / "news" / DRAFT).exists() and not (output / "zh" / "news" / FUTURE).exists()

    both = subprocess.run(
        [*command, "--drafts", "--future"], cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=300
    )
    assert both.returncode == 0, both.stderr
    assert "left out" not in both.stderr
    article = (output / "en" / "news" / FUTURE / "index.html").read_text(encoding="utf-8")
    assert 'class="badge badge-scheduled">Scheduled <time datetime="2026-02-01">' in article
    listing = (output / "zh" / "news" / "index.html").read_text(encoding="utf-8")
    assert f'href="{DRAFT}/">写作中的动态</a><span class="news-badge"><span class="badge badge-draft">草稿' in listing


# --------------------------------------------------------------------------- serve


def test_serve_shows_them_with_a_badge(content: Path) -> None:
    with Preview(content, TEMPLATES, "--today", str(TODAY)) as preview:
        status, _, body = get(preview.url + "zh/news/")
        listing = body.decode("utf-8")
        assert status == 200
        assert f'href="{DRAFT}/"' in listing and "草稿</span>" in listing
        assert f'href="{FUTURE}/"' in listing and '定时发布 <time datetime="2026-02-01">' in listing
        assert listing.count('class="news-badge"') == 2  # the published item has none
        status, _, body = get(preview.url + f"en/news/{DRAFT}/")
        article = body.decode("utf-8")
        assert status == 200 and 'class="badge badge-draft">Draft</span>' in article
        assert 'class="notice unpublished"' in article
        status, _, body = get(preview.url + "zh/")
        assert status == 200 and body.decode("utf-8").count('class="news-badge"') == 2  # the latest news


def test_serve_without_them_previews_the_published_site(content: Path) -> None:
    with Preview(content, TEMPLATES, "--today", str(TODAY), "--no-drafts", "--no-future") as preview:
        assert get(preview.url + f"zh/news/{PUBLISHED}/")[0] == 200
        assert get(preview.url + f"zh/news/{DRAFT}/")[0] == 404
        assert get(preview.url + f"zh/news/{FUTURE}/")[0] == 404
        assert DRAFT.encode() not in get(preview.url + "zh/news/")[2]


# --------------------------------------------------------------------------- check


def test_check_lists_them_as_warnings_and_stays_green(content: Path) -> None:
    code, found, err = check_json(content, "--today", str(TODAY))
    assert code == 0, (found, err)
    assert [p for p in found if p["severity"] == "error"] == []  # links from lists, home and feeds all resolve
    draft = expect(found, f"news/{DRAFT}.zh.md", DRAFT_LINE, None, "draft: true", "--drafts", severity="warning")
    assert draft["source_line"] == "draft: true"
    future = expect(found, f"news/{FUTURE}.zh.md", FUTURE_DATE_LINE, None, "2026-02-01", severity="warning")
    assert "2026-01-10" in future["en"] and "the first build on or after 2026-02-01 publishes it" in future["en"]
    assert not any(PUBLISHED in p["path"] for p in found)


def test_check_with_the_flags_checks_them_too(content: Path) -> None:
    code, found, err = check_json(content, "--today", str(TODAY), "--drafts", "--future")
    assert code == 0, (found, err)
    assert {p["path"].rsplit("/", 1)[-1] for p in found} == {f"{DRAFT}.zh.md", f"{FUTURE}.zh.md"}


def test_stale_check_counts_only_published_items(tmp_path: Path) -> None:
    """A scheduled item (dated next month) and a fresh draft must not hide that the column is stale."""
    old = "---\ntitle: 旧动态\ndate: 2025-11-01\nsource: 某区委办公室\n---\n\n正文。\n"
    files = {k: v for k, v in NEWS.items() if PUBLISHED not in k} | {"news/2025-11-01-old.zh.md": old}
    root = make_site(tmp_path, files)
    loaded = load_content(root, today=TODAY)
    [stale] = check_news_age(loaded, TODAY)  # the whole content, drafts and scheduled items included
    assert stale.severity == "warning" and stale.path.endswith("news/2025-11-01-old.zh.md")
    assert "2025-11-01" in stale.en and "70 days" in stale.en
    code, found, _ = check_json(root, "--today", str(TODAY), "--drafts", "--future")
    assert code == 0
    expect(found, "news/2025-11-01-old.zh.md", 3, None, "not been updated for 70 days", severity="warning")
    fresh = make_site(tmp_path / "fresh", NEWS)
    assert check_news_age(load_content(fresh, today=TODAY), TODAY) == []  # the published item is two days old


def test_what_is_published_follows_the_day_of_the_build(content: Path) -> None:
    loaded = load_content(content, today=TODAY)
    later = date(2026, 2, 1)
    shown, badges = drafts.select(loaded, later)
    assert {item.id for item in shown.news} == {PUBLISHED, FUTURE} and badges == {}  # its day has come
    shown, badges = drafts.select(loaded, TODAY, drafts.PREVIEW)
    assert badges == {DRAFT: drafts.Badge(True, None), FUTURE: drafts.Badge(False, date(2026, 2, 1))}
    assert len(shown.news) == 3


def test_draft_must_be_true_or_false(tmp_path: Path) -> None:
    bad = NEWS[f"news/{DRAFT}.zh.md"].replace("draft: true", "draft: maybe")
    root = make_site(tmp_path, {f"news/{DRAFT}.zh.md": bad})
    from conftest import problems

    expect(problems(root), f"news/{DRAFT}.zh.md", DRAFT_LINE, None, "draft")
