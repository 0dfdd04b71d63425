"""Articles as offices publish them (issue 10): 作者/责任编辑/审核, attachments with type and size, pictures resized
with the original linked, 【字体：大 中 小】 and 打印, and 图片新闻 on the home page.

Every file is real: PDFs, DOCX (python-docx), XLSX (openpyxl), OLE and OFD packages, JPEG/PNG/WebP pictures made
with Pillow; each refusal is a located error. The browser half is in ``test_articles_browser.py``.
"""

from __future__ import annotations

import io
import os
import posixpath
import re
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from conftest import ROOT, expect, make_site
from sitegen.content import attachments as att
from sitegen.content.loader import load_content
from sitegen.errors import ContentErrors
from sitegen.site import articlemedia, images
from sitegen.site.buildcache import BuildCache
from sitegen.site.pipeline import build

TEMPLATES = ROOT / "templates"
ITEM = "news/2024-03-01-item.zh.md"
HEAD = "---\ntitle: 示例动态\ndate: 2024-03-01 09:00\nsource: 某区委办公室\n"
"""Front matter lines 1-4; what a test adds starts on line 5."""
ARTICLE = "zh/news/2024-03-01-item/index.html"


def news(front: str = "", body: str = "正文。\n", en: str | None = None) -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {ITEM: HEAD + front + "---\n\n" + body}
    if en is not None:
        files[ITEM.replace(".zh.", ".en.")] = en
    return files


def built(tmp_path: Path, files: dict, cache: BuildCache | None = None) -> dict[str, bytes]:
    content = make_site(tmp_path, files)
    return build(content, tmp_path / "output", templates=TEMPLATES, write=False, cache=cache).files


def errors(tmp_path: Path, files: dict) -> list:
    content = make_site(tmp_path, files)
    with pytest.raises(ContentErrors) as caught:
        build(content, tmp_path / "output", templates=TEMPLATES, write=False)
    return caught.value.sorted()


def page(files: dict[str, bytes], name: str = ARTICLE) -> str:
    return files[name].decode("utf-8")


def target(files: dict[str, bytes], name: str, href: str) -> bytes:
    """The file a relative link of page ``name`` leads to."""
    from urllib.parse import unquote

    path = posixpath.normpath(posixpath.join(posixpath.dirname(name), unquote(href)))
    return files[path]


# --------------------------------------------------------------------------- files made for real


def picture(kind: str = "PNG", size: tuple[int, int] = (1600, 800), exif: dict[int, object] | None = None) -> bytes:
    image = Image.new("RGB", size, "#3366aa")
    for x in range(0, size[0], 97):  # something to resample
        image.paste("#ffcc00", (x, 0, x + 20, size[1]))
    out = io.BytesIO()
    options = {}
    if exif:
        data = Image.Exif()
        data.update(exif)
        options["exif"] = data.tobytes()
    image.save(out, kind, **options)
    return out.getvalue()


def pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def docx() -> bytes:
    from docx import Document

    out = io.BytesIO()
    document = Document()
    document.add_paragraph("示例")
    document.save(out)
    return out.getvalue()


def xlsx() -> bytes:
    from openpyxl import Workbook

    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def ole(stream: str) -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + stream.encode("utf-16-le") + bytes(64)


def package(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out.getvalue()


def ofd() -> bytes:
    return package({"OFD.xml": b'<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.1"/>'})


# --------------------------------------------------------------------------- 作者 责任编辑 审核


def test_author_editor_and_reviewer_show_in_the_meta_line_in_both_languages(tmp_path: Path) -> None:
    front = "author: 张明\neditor:\n  zh: 信息科\n  en: Information Section\nreviewer: 李华\n"
    files = built(tmp_path, news(front, en="---\ntitle: An item\n---\n\nText.\n"))
    meta = re.search(r'<p class="meta">.*?</p>', page(files), re.S)[0]
    assert "作者：张明" in meta and "责任编辑：信息科" in meta and "审核：李华" in meta
    meta = re.search(r'<p class="meta">.*?</p>', page(files, ARTICLE.replace("zh/", "en/")), re.S)[0]
    assert "Editor: Information Section" in meta
    assert re.search(r'Author: <span lang="zh-CN"[^>]*>张明</span>', meta)  # untranslated: marked Chinese
    assert "Reviewed by: " in meta


# --------------------------------------------------------------------------- attachments

ALL_KINDS = {
    "files/2023 统计表#1.xlsx": xlsx(),
    "files/方案.docx": docx(),
    "news/files/通知.pdf": pdf(),
    "files/old.doc": ole("WordDocument"),
    "files/old.xls": ole("Workbook"),
    "files/电子公文.ofd": ofd(),
}


def listed(names: list[str], titles: bool = True) -> str:
    lines = ["attachments:"]
    for number, name in enumerate(names, 1):
        lines.append(f"  - file: {name}")
        if titles:
            lines.append(f"    title:\n      zh: 附件{number}\n      en: Attachment {number}")
    return "\n".join(lines) + "\n"


def test_attachments_are_listed_with_type_and_size_written_and_linked(tmp_path: Path) -> None:
    en = "---\ntitle: An item\n---\n\nText.\n"
    files = built(tmp_path, {**ALL_KINDS, **news(listed(list(ALL_KINDS)), en=en)})
    html = page(files)
    section = re.search(r'<section class="attachments".*?</section>', html, re.S)[0]
    links = re.findall(r'<li><a href="([^"]+)" download="([^"]+)" type="([^"]+)">([^<]+)</a>'
                       r'<span class="file-facts">([^<]+)</span>', section)  # fmt: skip
    assert [download for _, download, *_ in links] == [Path(n).name for n in ALL_KINDS]
    for (href, _, mime, _, facts), (name, data) in zip(links, ALL_KINDS.items(), strict=True):
        kind = att.ATTACHMENT_TYPES[Path(name).suffix]
        assert target(files, ARTICLE, href) == data  # written, and the link resolves
        assert mime == att.MIME_TYPES[kind] and facts == f"（{kind}，{att.size_text(len(data))}）"
    assert re.fullmatch(r"\d+\.\d KB", att.size_text(5300)) and att.size_text(1_300_000) == "1.2 MB"
    # the office's name is kept where it is safe in an address, made safe (and unique) where it is not
    assert "media/news/files/通知.pdf" in files and "media/files/方案.docx" in files
    assert [p for p in files if p.startswith("media/files/2023-统计表-1-") and p.endswith(".xlsx")]
    english = page(files, ARTICLE.replace("zh/", "en/"))
    assert '>Attachment 2</a><span class="file-facts"> (DOCX, ' in english


def test_an_attachment_without_title_shows_its_name_and_english_falls_back_marked(tmp_path: Path) -> None:
    front = "attachments:\n  - file: files/方案.pdf\n    title: 工作方案\n  - file: files/plan.pdf\n"
    files = built(
        tmp_path, {"files/方案.pdf": pdf(), "files/plan.pdf": pdf(), **news(front, en="---\ntitle: X\n---\n")}
    )
    assert ">工作方案</a>" in page(files) and ">plan</a>" in page(files)
    english = page(files, ARTICLE.replace("zh/", "en/"))
    assert re.search(r'<a [^>]*download="方案.pdf"[^>]*><span lang="zh-CN"[^>]*>工作方案</span></a>', english)


BAD_FILES = {
    "wrong type": ("files/a.zip", None, 6, ("PDF", "DOCX", "OFD")),
    "outside content": ("../secret.pdf", None, 6, ('".."',)),
    "a web address": ("https://evil.example/a.pdf", None, 6, ("web address",)),
    "missing": ("files/none.pdf", None, 6, ("does not exist",)),
    "PNG named .pdf": ("files/a.pdf", picture(), 6, ("%PDF-",)),
    "XLSX named .docx": ("files/a.docx", xlsx(), 6, ("[Content_Types].xml", "DOCX")),
    "macro workbook": (
        "files/a.xlsx",
        package({"[Content_Types].xml": b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"}),
        6,
        ("macros",),
    ),
    "XLS named .doc": ("files/a.doc", ole("Workbook"), 6, ("WordDocument",)),
    "ZIP named .ofd": ("files/a.ofd", package({"x.xml": b"<x/>"}), 6, ("OFD.xml",)),
    "not a ZIP": ("files/a.xlsx", b"PK\x03\x04 damaged", 6, ("damaged",)),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_an_attachment_that_cannot_be_published_is_an_error_at_its_line(tmp_path: Path, case: str) -> None:
    name, data, line, phrases = BAD_FILES[case]
    extra = {name: data} if data is not None else {}
    found = errors(tmp_path, {**extra, **news(f"attachments:\n  - file: {name}\n")})
    expect(found, ITEM, line, None, *phrases)


@pytest.mark.skipif(os.name == "nt", reason="symbolic links: POSIX")
def test_an_attachment_linked_out_of_the_content_folder_is_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.pdf"
    secret.write_bytes(b"%PDF-1.4 s3cr3t")
    content = make_site(tmp_path, news("attachments:\n  - file: files/a.pdf\n"))
    (content / "files").mkdir()
    (content / "files" / "a.pdf").symlink_to(secret)
    with pytest.raises(ContentErrors) as caught:
        build(content, tmp_path / "output", templates=TEMPLATES, write=False)
    expect(caught.value.sorted(), ITEM, 6, None, "symbolic link")


def test_an_attachment_over_the_size_limit_is_an_error_at_its_line(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(att, "MAX_ATTACHMENT_BYTES", 1024)
    found = errors(tmp_path, {"files/a.pdf": pdf() + bytes(2048), **news("attachments:\n  - file: files/a.pdf\n")})
    expect(found, ITEM, 6, None, "too large")


# --------------------------------------------------------------------------- pictures


def figure(html: str) -> dict[str, str]:
    found = re.search(
        r'<figure><a class="picture-original" href="([^"]+)"><img ([^>]+)>.*?</a>(.*?)</figure>', html, re.S
    )
    assert found, html
    attrs = dict(re.findall(r'(\w+)="([^"]*)"', found[2]))
    caption = re.search(r"<figcaption>(.*?)</figcaption>", found[3])
    return {"original": found[1], **attrs, "caption": caption[1] if caption else ""}


def test_a_picture_is_resized_upright_without_metadata_and_links_its_original(tmp_path: Path) -> None:
    original = picture("JPEG", (2000, 1000), exif={0x0112: 6, 0x013B: "Photographer", 0x010E: "private"})
    body = '第一段。\n\n![宪法宣传展板](images/board.jpg "机关大院的展板")\n'
    files = built(tmp_path, {"news/images/board.jpg": original, **news(body=body)})
    shown = figure(page(files))
    assert shown["alt"] == "宪法宣传展板" and shown["caption"] == "机关大院的展板" and shown["loading"] == "lazy"
    assert target(files, ARTICLE, shown["original"]) == original
    copy = target(files, ARTICLE, shown["src"])
    with Image.open(io.BytesIO(copy)) as image:
        assert image.format == "JPEG"
        assert image.size == (960, 1920) == (int(shown["width"]), int(shown["height"]))  # turned upright, then resized
        assert not image.getexif() and "exif" not in image.info
    assert shown["src"].endswith("media/news/images/board.960.jpg")


@pytest.mark.parametrize("kind, ext", [("PNG", "png"), ("WEBP", "webp")])
def test_a_picture_keeps_its_type_and_a_small_one_its_size(tmp_path: Path, kind: str, ext: str) -> None:
    files = built(tmp_path, {f"static/p.{ext}": picture(kind, (300, 200)), **news(body=f"![示意图](static/p.{ext})\n")})
    shown = figure(page(files))  # a path from the content folder works too
    with Image.open(io.BytesIO(target(files, ARTICLE, shown["src"]))) as image:
        assert image.format == kind and image.size == (300, 200)
    assert shown["caption"] == ""


def test_the_english_page_uses_the_alt_text_of_the_english_file(tmp_path: Path) -> None:
    en = '---\ntitle: An item\n---\n\n![Display boards](images/b.png "Boards in the compound")\n'
    files = built(tmp_path, {"news/images/b.png": picture(), **news(body='![展板](images/b.png "院内展板")\n', en=en)})
    zh, english = figure(page(files)), figure(page(files, ARTICLE.replace("zh/", "en/")))
    assert (zh["alt"], zh["caption"]) == ("展板", "院内展板")
    assert (english["alt"], english["caption"]) == ("Display boards", "Boards in the compound")
    assert english["src"] == zh["src"]  # one copy for both languages


def test_pictures_are_the_same_bytes_on_every_build_with_or_without_the_cache(tmp_path: Path) -> None:
    files = {"news/images/b.jpg": picture("JPEG"), "news/images/c.png": picture("PNG", (1200, 900))}
    files.update(news(body="![甲](images/b.jpg)\n\n![乙](images/c.png)\n"))
    first, second = built(tmp_path / "1", files), built(tmp_path / "2", files)
    cache = BuildCache(tmp_path / "cache")
    cold, warm = built(tmp_path / "3", files, cache), built(tmp_path / "4", files, BuildCache(tmp_path / "cache"))
    media = sorted(p for p in first if p.startswith("media/"))
    assert len(media) == 2 + 2 + 1  # originals, page copies, and the home page's thumbnail of the first
    assert all(first[p] == second[p] == cold[p] == warm[p] for p in media)


BAD_PICTURES = {
    "no alternative text": ("![](images/p.png)", {"news/images/p.png": picture()}, ("alternative text",)),
    "missing": ("![图](images/none.png)", {}, ("does not exist", "news/images/none.png")),
    "outside content": ("![图](../../x.png)", {}, ("outside the content folder",)),
    "absolute": ("![图](/static/x.png)", {}, ("not valid",)),
    "GIF": ("![图](images/p.gif)", {}, ("JPEG, PNG or WebP",)),
    "PNG named .jpg": ("![图](images/p.jpg)", {"news/images/p.jpg": picture("PNG")}, ("PNG", "JPEG")),
    "damaged": ("![图](images/p.png)", {"news/images/p.png": picture()[:200]}, ("damaged",)),
    "decompression bomb": ("![图](images/p.png)", {"news/images/p.png": b""}, ("megapixels",)),
}


@pytest.mark.parametrize("case", BAD_PICTURES)
def test_a_picture_that_cannot_be_published_is_an_error_at_its_line(tmp_path: Path, case: str) -> None:
    line, extra, phrases = BAD_PICTURES[case]
    if case == "decompression bomb":  # 10,000 × 10,000 pixels in a few kilobytes
        out = io.BytesIO()
        Image.new("1", (10_000, 10_000)).save(out, "PNG")
        extra = {"news/images/p.png": out.getvalue()}
    found = errors(tmp_path, {**extra, **news(body=f"第一段。\n\n{line}\n")})
    expect(found, ITEM, 9, None, *phrases)  # front matter 1-5, a blank line, the paragraph, a blank line


@pytest.mark.skipif(os.name == "nt", reason="symbolic links: POSIX")
def test_a_picture_linked_out_of_the_content_folder_is_never_read(tmp_path: Path) -> None:
    (tmp_path / "outside.png").write_bytes(picture())
    content = make_site(tmp_path, news(body="![图](images/p.png)\n"))
    (content / "news" / "images").mkdir()
    (content / "news" / "images" / "p.png").symlink_to(tmp_path / "outside.png")
    with pytest.raises(ContentErrors) as caught:
        build(content, tmp_path / "output", templates=TEMPLATES, write=False)
    expect(caught.value.sorted(), ITEM, 7, None, "symbolic link")


def test_an_inline_picture_stays_in_its_paragraph_and_one_in_a_link_is_not_linked_again(tmp_path: Path) -> None:
    body = '文字 ![图标](images/p.png "提示") 文字\n\n[![图标](images/p.png)](https://www.example.gov.cn/)\n'
    html = page(built(tmp_path, {"news/images/p.png": picture(), **news(body=body)}))
    assert "<figure>" not in html and 'title="提示"' in html
    assert re.search(r'<a href="https://www.example.gov.cn/" rel="noopener noreferrer"><img src="[^"]+960[^"]+"', html)


# --------------------------------------------------------------------------- the article header and 图片新闻


def test_the_article_header_has_text_size_and_print_buttons_for_javascript_only(tmp_path: Path) -> None:
    html = page(built(tmp_path, news()))
    tools = re.search(r'<div class="article-tools js-only"[^>]*>(.*?)</div>', html, re.S)[1]
    assert re.sub(r"<[^>]+>|\s", "", tools) == "【字体：大中小】打印"
    assert tools.count("<button") == 4 and "data-print" in tools and "href" not in tools


def test_the_home_page_shows_picture_news_with_thumbnails(tmp_path: Path) -> None:
    files = {"news/images/a.png": picture(), "news/images/b.jpg": picture("JPEG")}
    files.update(news(body="![院内展板](images/a.png)\n"))
    files["news/2024-03-02-other.zh.md"] = (
        "---\ntitle: 第二条\ndate: 2024-03-02\nsource: 某单位\n"
        "image:\n  file: news/images/b.jpg\n  alt: 封面图\n---\n\n正文。\n"
    )
    files["news/2024-03-03-plain.zh.md"] = "---\ntitle: 没有图片\ndate: 2024-03-03\nsource: 某单位\n---\n\n正文。\n"
    built_files = built(tmp_path, files)
    home = page(built_files, "zh/index.html")
    block = re.search(r'<section class="picture-news".*?</section>', home, re.S)[0]
    pictures = re.findall(r'<a href="([^"]+)"><img src="([^"]+)" alt="([^"]+)"', block)
    assert [(h, a) for h, _, a in pictures] == [
        ("news/2024-03-02-other/", "封面图"),
        ("news/2024-03-01-item/", "院内展板"),
    ]
    for _, src, _ in pictures:
        with Image.open(io.BytesIO(target(built_files, "zh/index.html", src))) as thumb:
            assert thumb.width == images.THUMB_WIDTH
    assert "没有图片" not in block and "width=" in block and 'loading="lazy"' in block
    english = page(built_files, "en/index.html")
    assert re.search(r'alt="封面图" lang="zh-CN"', english)  # not translated: marked as Chinese


def test_no_picture_news_block_without_pictures(tmp_path: Path) -> None:
    assert "picture-news" not in page(built(tmp_path, news()), "zh/index.html")


def test_serve_plans_an_article_again_when_one_of_its_files_changes(tmp_path: Path) -> None:
    content = make_site(
        tmp_path,
        {
            "files/a.pdf": pdf(),
            "news/images/p.png": picture(),
            **news("attachments:\n  - file: files/a.pdf\n", "![图](images/p.png)\n"),
        },
    )
    item = load_content(content).news[0]
    before = articlemedia.depends(content, item)
    assert [name for name, *_ in before] == ["files/a.pdf", "news/images/p.png"]
    (content / "news" / "images" / "p.png").write_bytes(picture(size=(10, 10)))
    assert articlemedia.depends(content, item) != before


def test_the_example_article_has_a_picture_and_attachments(tmp_path: Path) -> None:
    files = build(ROOT / "content", tmp_path / "output", templates=TEMPLATES, write=False).files
    name = "zh/news/2023-12-04-constitution-day/index.html"
    html = page(files, name)
    assert figure(html)["caption"] and "作者：" in html and "审核：" in html
    assert html.count('download="') == 2 and "（PDF，" in html and "（XLSX，" in html
    english = page(files, name.replace("zh/", "en/"))
    assert figure(english)["alt"].startswith("Three Constitution display boards")
    assert 'class="picture-news"' in page(files, "zh/index.html")
