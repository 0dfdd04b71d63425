"""The masthead and the footer (issue 10, part 1): the organ's emblem and name on every page, and every
footer item of a government site (DOMAIN.md) on every page of both languages and the 404 page, with the
registration numbers marked ``lang="zh-CN"`` on English pages; the site's own images published under
hashed names; an emblem or 标识 that cannot be published is a located error in ``site.yaml``.

The expected values are read from the example's ``site.yaml`` (through the loader), never written here.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from xml.etree.ElementTree import Element

import html5lib
import pytest
from PIL import Image

from conftest import ROOT, SITE_YAML, expect, make_site, problems
from sitegen.content.loader import load_content
from sitegen.content.model import SiteConfig
from sitegen.review.linkcheck import resolve
from sitegen.site.pipeline import build

CONTENT = ROOT / "content"
TEMPLATES = ROOT / "templates"
HASHED = r"assets/{}\.[0-9a-f]{{10}}\.{}"
SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4" fill="red"/></svg>\n'


def built(content: Path) -> dict[str, bytes]:
    return build(content, content.parent / "unused", templates=TEMPLATES, write=False).files


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> tuple[SiteConfig, dict[str, bytes]]:
    return load_content(CONTENT).site, built(CONTENT)


def html_pages(files: dict[str, bytes]) -> list[str]:
    """Every page a visitor sees: all of zh/ and en/, and the 404 page (not the root redirect)."""
    pages = [n for n in files if n.endswith(".html") and (n.startswith(("zh/", "en/")) or n == "404.html")]
    assert len(pages) > 50
    return sorted(pages)


def tree(data: bytes) -> Element:
    return html5lib.parse(data, namespaceHTMLElements=False, transport_encoding="utf-8")


def text(el: Element) -> str:
    return " ".join("".join(el.itertext()).split())


def one(root: Element, path: str) -> Element:
    found = root.findall(path)
    assert len(found) == 1, (path, len(found))
    return found[0]


def target(files: dict[str, bytes], page: str, value: str, site: SiteConfig) -> str:
    """The built file a ``src``/``href`` on ``page`` leads to (it must exist)."""
    resolved = resolve(page, value, site.base_url)
    assert resolved is not None and resolved[0] in files, (page, value)
    return resolved[0]


def zh_marked(root: Element, wanted: str) -> bool:
    """True when ``wanted`` is the text of an element inside one marked ``lang="zh-CN"``."""
    return any(text(el) == wanted for el in root.iter() if el.get("lang") == "zh-CN")


# --------------------------------------------------------------------------- every page of the example


def test_the_masthead_on_every_page(example) -> None:
    site, files = example
    emblem = (CONTENT / site.emblem).read_bytes().replace(b"\r\n", b"\n")
    for name in html_pages(files):
        lang = "en" if name.startswith("en/") else "zh"
        header = one(tree(files[name]), ".//header")
        identity = one(header, ".//a[@class='identity']")
        img = one(identity, "img[@class='emblem']")
        src = target(files, name, img.get("src"), site)
        assert re.fullmatch(HASHED.format("emblem", "svg"), src) and files[src] == emblem, name
        organ = site.organizer.get(lang) or site.organizer.zh
        assert organ in img.get("alt"), name
        [zh_organ, *en_organ] = identity.findall(".//span[@class]")[1:-1]
        assert text(zh_organ) == site.organizer.zh, name
        assert text(one(identity, ".//span[@class='site-name']")) == (site.name.get(lang) or site.name.zh), name
        if lang == "en":
            assert zh_organ.get("lang") == "zh-CN" and [text(e) for e in en_organ] == [site.organizer.en], name
        else:
            assert en_organ == [], name


def test_every_footer_item_on_every_page(example) -> None:
    site, files = example
    mark = (CONTENT / site.dzjg.image).read_bytes().replace(b"\r\n", b"\n")
    digits = "".join(ch for ch in site.police_record if ch.isdigit())
    for name in html_pages(files):
        lang = "en" if name.startswith("en/") else "zh"
        page = tree(files[name])
        footer = one(page, ".//footer")
        words = text(footer)
        dzjg = one(footer, ".//a[@class='dzjg']")
        assert dzjg.get("href") == site.dzjg.url, name
        src = target(files, name, one(dzjg, "img").get("src"), site)
        assert re.fullmatch(HASHED.format("dzjg", "svg"), src) and files[src] == mark, name
        assert one(dzjg, "img").get("alt"), name
        labels = ("主办单位：", "承办单位：", "联系我们：", "网站标识码：", "邮编：", "网站地图", "长者模式")
        if lang == "en":
            labels = ("Organizer: ", "Operated by: ", "Contact us: ", "Website ID code: ", "Postcode: ", "Site map")
        for label in labels:
            assert label.strip() in words, (name, label)
        for fact in (site.organizer, site.operator, site.contact.address):
            assert (fact.get(lang) or fact.zh) in words, (name, fact)
        for fact in (site.site_id_code, site.contact.phone, site.contact.postcode):
            assert fact in words, (name, fact)
        [mail] = [a for a in footer.iter("a") if a.get("href", "").startswith("mailto:")]
        assert mail.get("href") == f"mailto:{site.contact.email}" and text(mail) == site.contact.email
        links = {a.get("href"): text(a) for a in footer.iter("a")}
        assert links["https://beian.miit.gov.cn/"] == site.icp, name
        assert links[f"https://beian.mps.gov.cn/#/query/webSearch?code={digits}"] == site.police_record, name
        sitemap = next(href for href, label in links.items() if label in ("网站地图", "Site map"))
        assert target(files, name, sitemap, site) == ("en" if lang == "en" else "zh") + "/sitemap/index.html"
        entry = next(href for href, label in links.items() if label in ("长者模式", "Senior mode"))
        assert entry.startswith("#") and page.find(f".//*[@id='{entry[1:]}']") is not None, (name, entry)
        if lang == "en":  # Chinese-only values: the registration numbers
            assert zh_marked(footer, site.icp) and zh_marked(footer, site.police_record), name


def test_the_images_are_published_once_under_hashed_names(example) -> None:
    _, files = example
    names = sorted(n for n in files if re.fullmatch(r"assets/(emblem|dzjg)\.[0-9a-f]{10}\.svg", n))
    assert len(names) == 2
    assert not any(n.startswith("static/") or n.endswith(("/emblem.svg", "/dzjg.svg")) for n in files)


# --------------------------------------------------------------------------- other images, changes, placeholders


def png(size: tuple[int, int] = (8, 8), fmt: str = "PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 16, 46)).save(out, fmt)
    return out.getvalue()


def test_a_png_emblem_and_a_jpeg_mark_are_published_and_renamed_when_they_change(tmp_path: Path) -> None:
    url = "https://bszs.conac.cn/sitename?method=show&id=0A1B2C"
    config = SITE_YAML + f"emblem: static/logo.png\ndzjg:\n  image: static/mark.jpg\n  url: {url}\n"
    root = make_site(tmp_path, {"site.yaml": config, "static/logo.png": png(), "static/mark.jpg": png(fmt="JPEG")})
    first = built(root)
    [logo] = [n for n in first if re.fullmatch(HASHED.format("logo", "png"), n)]
    assert first[logo] == (root / "static" / "logo.png").read_bytes()
    [mark] = [n for n in first if re.fullmatch(HASHED.format("mark", "jpg"), n)]
    page = first["zh/index.html"].decode("utf-8")
    assert f'src="../{logo}"' in page and f'<a class="dzjg" href="{url.replace("&", "&amp;")}"' in page
    assert f'src="../{mark}"' in page and first[mark] == (root / "static" / "mark.jpg").read_bytes()
    (root / "static" / "logo.png").write_bytes(png((9, 9)))
    second = built(root)
    [renamed] = [n for n in second if re.fullmatch(HASHED.format("logo", "png"), n)]
    assert renamed != logo and f'src="../{renamed}"' in second["zh/index.html"].decode("utf-8")


def test_a_site_without_them_has_no_images_and_still_every_other_item(tmp_path: Path) -> None:
    files = built(make_site(tmp_path))
    page = files["en/index.html"].decode("utf-8")
    assert 'class="emblem"' not in page and 'class="dzjg"' not in page
    assert "Organizer: " in page and "beian.miit.gov.cn" in page and "Site map" in page


def test_placeholders_show_no_image_and_are_reported(tmp_path: Path) -> None:
    config = SITE_YAML + "emblem: 待填写\ndzjg:\n  image: 待填写\n  url: 待填写\n"
    root = make_site(tmp_path, {"site.yaml": config})
    content = load_content(root)
    assert content.site.emblem is None and content.site.dzjg.image is None and content.site.dzjg.url is None
    lines = sorted(w.line for w in content.warnings if "site.yaml" in w.path and "待填写" in w.zh)
    first = len(SITE_YAML.splitlines()) + 1
    assert lines == [first, first + 2, first + 3]
    page = built(root)["zh/index.html"].decode("utf-8")
    assert 'class="emblem"' not in page and 'class="dzjg"' not in page


# --------------------------------------------------------------------------- what cannot be published

LINE = len(SITE_YAML.splitlines()) + 1
"""The line of ``emblem:`` added after the minimal site.yaml."""


@pytest.mark.parametrize(
    ("value", "files", "phrase"),
    [
        ("https://www.example.com/logo.png", {}, "is a web address"),
        ("../logo.png", {}, "relative to the content folder"),
        ("C:\\logo.png", {}, "relative to the content folder"),
        ("static/logo.gif", {}, "not an image type"),
        ("static/missing.svg", {}, "does not exist"),
        ("static/e.svg", {"static/e.svg": SVG.replace("<circle", "<script>alert(1)</script><circle")}, "<script>"),
        ("static/e.svg", {"static/e.svg": SVG.replace("<circle", '<circle onclick="x()"')}, "onclick="),
        (
            "static/e.svg",
            {"static/e.svg": SVG.replace("<circle", '<image href="https://cdn.example.com/a.png"/><circle')},
            'href="https://cdn',
        ),
        ("static/e.svg", {"static/e.svg": '<!DOCTYPE svg [<!ENTITY a "b">]>' + SVG}, "DOCTYPE"),
        ("static/e.svg", {"static/e.svg": "<html></html>"}, "outermost element"),
        ("static/e.png", {"static/e.png": png(fmt="JPEG")}, "holds a JPEG image"),
        ("static/e.png", {"static/e.png": b"not a picture"}, "not a valid PNG image"),
        ("static/e.png", {"static/e.png": png((5000, 2))}, "5000×2 pixels"),
        ("static/e.svg", {"static/e.svg": SVG + "<!--" + "x" * 600_000 + "-->"}, "too large"),
        ("static", {"static/e.svg": SVG}, "not an image type"),
    ],
)
def test_an_emblem_that_cannot_be_published_is_an_error_at_its_line(tmp_path: Path, value, files, phrase) -> None:
    root = make_site(tmp_path, {"site.yaml": SITE_YAML + f"emblem: {value}\n", **files})
    found = expect(problems(root), "site.yaml", LINE, 9, phrase)
    assert found["source_line"] == f"emblem: {value}"


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_an_emblem_linked_out_of_the_content_folder_is_not_read(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"site.yaml": SITE_YAML + "emblem: static/e.svg\n"})
    (tmp_path / "secret.svg").write_text(SVG, encoding="utf-8")
    (root / "static").mkdir()
    (root / "static" / "e.svg").symlink_to(tmp_path / "secret.svg")
    expect(problems(root), "site.yaml", LINE, 9, "symbolic link", "cannot be used")


@pytest.mark.parametrize(
    ("url", "phrase"),
    [
        ("http://bszs.conac.cn/sitename?method=show&id=1", "https://"),
        ("https://bszs.conac.cn.example.com/sitename?id=1", "not the issuer"),
        ("https://www.example.gov.cn/conac.cn", "not the issuer"),
        ("//bszs.conac.cn/sitename?id=1", "https://"),
    ],
)
def test_a_mark_that_links_elsewhere_is_an_error_at_its_line(tmp_path: Path, url: str, phrase: str) -> None:
    config = SITE_YAML + f"dzjg:\n  image: static/dzjg.svg\n  url: {url}\n"
    root = make_site(tmp_path, {"site.yaml": config, "static/dzjg.svg": SVG})
    expect(problems(root), "site.yaml", LINE + 2, 8, phrase)


def test_a_missing_mark_image_is_an_error_with_the_others(tmp_path: Path) -> None:
    config = SITE_YAML + "emblem: static/none.png\ndzjg:\n  image: static/gone.svg\n  url: https://bszs.conac.cn/x\n"
    found = problems(make_site(tmp_path, {"site.yaml": config}))
    expect(found, "site.yaml", LINE, 9, "emblem image", "does not exist")
    expect(found, "site.yaml", LINE + 2, 10, "website mark image", "does not exist")
