"""The fonts of a 公文, as Word and WPS know them, and the fallbacks written into ``word/fontTable.xml``.

GB/T 9704-2012 asks for 小标宋 (title), 仿宋 (text), 黑体 and 楷体 (headings) and 宋体 (page numbers).
Offices' machines name them 方正小标宋简体, 仿宋_GB2312, 黑体, 楷体_GB2312 and 宋体; a machine that lacks
one (Windows has shipped 仿宋 and 楷体 instead of the _GB2312 fonts since Vista) finds a fallback
through ``w:altName``. Word reads an ``altName`` as one name of at most 31 characters and does not
split it at commas as ISO/IEC 29500 allows (Microsoft's notes on the standard, [MS-OE376], say so),
so each font names one fallback and the fallback names the next, its English name:

- 仿宋_GB2312 → 仿宋 → FangSong, 楷体_GB2312 → 楷体 → KaiTi,
- 方正小标宋简体 → 华文中宋 → STZhongsong, 黑体 → SimHei, 宋体 → SimSun.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

LATIN = "Times New Roman"
"""Latin letters and Arabic numerals in every text of the document (the page number excepted)."""


@dataclass(frozen=True)
class Face:
    """The fonts of one kind of text: ``latin`` for letters and digits, ``east_asia`` for Chinese."""

    latin: str
    east_asia: str


FANGSONG, KAISHU, HEITI, SONGTI, XIAOBIAOSONG = "仿宋_GB2312", "楷体_GB2312", "黑体", "宋体", "方正小标宋简体"

FACES: dict[str, dict[str, Face]] = {
    "zh": {
        "title": Face(LATIN, XIAOBIAOSONG),
        "body": Face(LATIN, FANGSONG),
        "heading1": Face(LATIN, HEITI),
        "heading2": Face(LATIN, KAISHU),
        "heading3": Face(LATIN, FANGSONG),
        "heading4": Face(LATIN, FANGSONG),
        "table_head": Face(LATIN, HEITI),
        "page_number": Face(SONGTI, SONGTI),
    },
    "en": {
        role: Face(LATIN, FANGSONG)  # Chinese names left untranslated still print in 仿宋
        for role in ("title", "body", "heading1", "heading2", "heading3", "heading4", "table_head", "page_number")
    },
}
"""Which fonts each kind of text uses, by language."""


@dataclass(frozen=True)
class FontEntry:
    """One ``w:font`` of the font table."""

    name: str
    alt_name: str
    charset: str  # "86" is GB2312, "00" ANSI
    family: str
    pitch: str


FONT_TABLE = (
    FontEntry(LATIN, "", "00", "roman", "variable"),
    FontEntry(FANGSONG, "仿宋", "86", "modern", "fixed"),
    FontEntry("仿宋", "FangSong", "86", "modern", "fixed"),
    FontEntry(KAISHU, "楷体", "86", "modern", "fixed"),
    FontEntry("楷体", "KaiTi", "86", "modern", "fixed"),
    FontEntry(HEITI, "SimHei", "86", "modern", "fixed"),
    FontEntry(SONGTI, "SimSun", "86", "auto", "variable"),
    FontEntry(XIAOBIAOSONG, "华文中宋", "86", "auto", "variable"),
    FontEntry("华文中宋", "STZhongsong", "86", "auto", "variable"),
)

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def font_table_xml() -> bytes:
    """``word/fontTable.xml``: every font the document uses and the fallbacks, in a fixed order."""
    fonts = []
    for font in FONT_TABLE:
        alt = f"<w:altName w:val={quoteattr(font.alt_name)}/>" if font.alt_name else ""
        fonts.append(
            f"<w:font w:name={quoteattr(font.name)}>{alt}<w:charset w:val={quoteattr(font.charset)}/>"
            f"<w:family w:val={quoteattr(font.family)}/><w:pitch w:val={quoteattr(font.pitch)}/></w:font>"
        )
    xml = (
        f"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n<w:fonts xmlns:w=\"{_W}\">{''.join(fonts)}</w:fonts>"
    )
    return xml.encode("utf-8")
