"""The page, styles and page numbers of a 公文 DOCX, by GB/T 9704-2012 (党政机关公文格式).

- Page (5.1, 5.2.1): A4, 天头 37 mm, 订口 28 mm, text block 156 × 225 mm, so 35 mm below and 26 mm
  on the outside. Printed on both sides (6.2) and bound on the left (6.3), the 订口 of an even page
  is on its right: the margins are mirrored, so that both sides' text blocks coincide.
- Grid (5.2.3): 22 lines of 28 characters. Lines: a line grid (``w:docGrid``, type ``lines``) of
  the block's height / 22, and every line exactly that high. Characters: 28 characters of 16 pt
  are 448 pt, 6 pt more than the block's width, so the text is condensed by 0.25 pt a character
  (``w:spacing``): 28 × 15.75 pt = 441 pt. Word's own way, a ``linesAndChars`` grid with a
  negative ``w:charSpace``, is not used: LibreOffice (7.4, measured) then puts each 16 pt character
  into two grid cells of 15.8 pt and sets 14 characters a line. Condensed text needs no character
  grid: 28 a line in LibreOffice (measured, tests/test_gongwen_pdf.py), and by the same arithmetic
  in Word and WPS.
- Text: title 2号小标宋 (22 pt) centred (7.3.1); body 3号仿宋 (16 pt), 左空二字, justified (7.3.3);
  headings 一、 黑体, （一） 楷体, 1. and （1） 仿宋, all 3号 (7.3.3); tables 3号仿宋, or 4号 when the
  columns do not fit (5.2.2 allows adjusting sizes). Chinese in ``w:rFonts/@w:eastAsia``, Latin
  letters and digits in Times New Roman.
- Page numbers (7.5): ``— 1 —``, 4号半角宋体, the dashes' line 7 mm below the text block; odd pages
  右空一字, even pages 左空一字 (separate even footer, ``w:evenAndOddHeaders``).
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, Twips
from docx.text.paragraph import Paragraph

from . import fonts
from .docxpack import drop_template_extras
from .fonts import Face


def mm(value: float) -> int:
    """Millimetres in twips (1/20 pt)."""
    return round(value * 1440 / 25.4)


PAGE_WIDTH, PAGE_HEIGHT = mm(210), mm(297)
TOP, INSIDE, BOTTOM, OUTSIDE = mm(37), mm(28), mm(297 - 37 - 225), mm(210 - 28 - 156)
TEXT_WIDTH, TEXT_HEIGHT = PAGE_WIDTH - INSIDE - OUTSIDE, PAGE_HEIGHT - TOP - BOTTOM
LINES, CHARS = 22, 28
LINE_PITCH = TEXT_HEIGHT // LINES
"""579 twips (28.95 pt): 22 lines fill the 225 mm block, a 23rd does not fit."""
CHAR_PITCH = TEXT_WIDTH / CHARS
"""About 316 twips (15.8 pt, 5.57 mm): GB/T 9704's 一字, the unit of 左空二字 and 右空一字."""
BODY_SIZE, TITLE_SIZE, SMALL_SIZE, PAGE_NUMBER_SIZE = Pt(16), Pt(22), Pt(14), Pt(14)
CONDENSED = math.ceil((BODY_SIZE.pt - CHAR_PITCH / 20) * 20)
"""How much 16 pt text is condensed so that 28 characters fill a line: 5 (1/20 pt), i.e. 0.25 pt."""
FOOTER_LINE = Pt(18)
FOOTER_DISTANCE = BOTTOM - mm(7) - FOOTER_LINE.twips // 2
"""From the page's bottom edge to the foot of the page-number line, whose middle is 7 mm below the block."""
CELL_PADDING = 2 * 108
"""Left and right cell margins of the Table Grid style, in twips."""

_PPR_AFTER_SNAP = ("w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc")
_PPR_AFTER_OUTLINE = ("w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
_PPR_AFTER_AUTOSPACE = (
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    *_PPR_AFTER_SNAP,
    *_PPR_AFTER_OUTLINE,
)
_RPR_AFTER_SPACING = ("w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:lang")
_SETTINGS_AFTER_MIRROR = ("w:alignBordersAndEdges", "w:gutterAtTop", "w:proofState", "w:defaultTabStop")
_KEPT_STYLES = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList", "TableGrid"}


@dataclass(frozen=True)
class Styles:
    """The names of the styles :func:`prepare` defines, for the writer to apply."""

    lang: str
    title: str = "Title"
    body: str = "Normal"
    headings: tuple[str, ...] = ("Heading 1", "Heading 2", "Heading 3", "Heading 4")
    caption: str = "Caption"
    table: str = "Table Grid"
    table_text: str = "Table Text"
    table_text_small: str = "Table Text Small"
    table_note: str = "Table Note"
    signature: str = "Signature"
    date: str = "Date"

    @property
    def header_fonts(self) -> Face:
        return fonts.FACES[self.lang]["table_head"]


@dataclass(frozen=True)
class _Spec:
    """One paragraph style: its name, fonts and form."""

    name: str
    role: str
    size: Pt = BODY_SIZE
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.JUSTIFY
    indent_chars: int = 0
    keep_next: bool = False
    outline: int | None = None
    bold: bool = False
    line: int = LINE_PITCH
    on_grid: bool = True
    space_after: int = 0
    autospace: bool = True
    """Word's and LibreOffice's extra space between Chinese and Latin text or digits."""


def _specs(lang: str) -> tuple[_Spec, ...]:
    bold = lang == "en"  # Chinese headings differ by typeface; English ones by weight
    headings = tuple(
        _Spec(f"Heading {n}", f"heading{n}", indent_chars=2, keep_next=True, outline=n - 1, bold=bold and n < 3)
        for n in range(1, 5)
    )
    centre, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    closing = right if lang == "en" else WD_ALIGN_PARAGRAPH.LEFT  # Chinese: placed by signature_starts
    return (
        _Spec("Title", "title", TITLE_SIZE, centre, keep_next=True, bold=bold, on_grid=False, space_after=LINE_PITCH),
        *headings,
        _Spec("Caption", "table_head", align=WD_ALIGN_PARAGRAPH.CENTER, keep_next=True, bold=bold),
        _Spec("Table Text", "body", align=WD_ALIGN_PARAGRAPH.CENTER, on_grid=False),
        _Spec("Table Text Small", "body", SMALL_SIZE, WD_ALIGN_PARAGRAPH.CENTER, on_grid=False),
        _Spec("Table Note", "body", SMALL_SIZE, WD_ALIGN_PARAGRAPH.LEFT, on_grid=False),
        _Spec("Signature", "body", align=closing, keep_next=True, autospace=False),
        _Spec("Date", "body", align=closing, autospace=False),
        _Spec("Footer", "page_number", PAGE_NUMBER_SIZE, right, line=FOOTER_LINE.twips, on_grid=False),
    )


def prepare(word: Document, lang: str) -> Styles:
    """Set up a new python-docx document: page, grid, settings, styles and page numbers."""
    drop_template_extras(word)
    _page(word)
    _settings(word, lang)
    _styles(word, lang)
    _page_numbers(word)
    return Styles(lang)


def package_overrides() -> dict[str, bytes]:
    """Members of the package written by sitegen rather than taken from python-docx's template; the
    font table serves both languages (English text may hold Chinese names)."""
    return {"word/fontTable.xml": fonts.font_table_xml(), "docProps/app.xml": _APP_XML}


def set_run_fonts(element, face: Face, hint: bool = True) -> None:  # a w:r or w:style element
    """``w:rFonts`` of a run or style: ``face`` for Latin, Chinese and complex scripts, no theme fonts."""
    rfonts = element.get_or_add_rPr().get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(theme), None)
    for attr, value in (("w:ascii", face.latin), ("w:hAnsi", face.latin), ("w:cs", face.latin)):
        rfonts.set(qn(attr), value)
    rfonts.set(qn("w:eastAsia"), face.east_asia)
    if hint:  # “ ” — and ‘ ’ are shared by both scripts: in Chinese text they take the Chinese font
        rfonts.set(qn("w:hint"), "eastAsia")


def table_geometry(head: tuple[str, ...], rows: tuple[tuple[str, ...], ...]) -> tuple[Pt, tuple[int, ...]]:
    """The type size of a table (3号 if every column fits on one line, else 4号) and its column widths."""
    columns = list(zip(head, *rows, strict=True))
    ems = [max(text_ems(cell) for cell in column) + 0.5 for column in columns]
    for size in (BODY_SIZE, SMALL_SIZE):
        needed = [math.ceil(em * size.twips) + CELL_PADDING for em in ems]
        if sum(needed) <= TEXT_WIDTH:
            spare = (TEXT_WIDTH - sum(needed)) // len(needed)
            return size, _exact([n + spare for n in needed])
    total = sum(ems)
    return SMALL_SIZE, _exact([round(TEXT_WIDTH * em / total) for em in ems])


def _exact(widths: list[int]) -> tuple[int, ...]:
    """``widths`` with the last one adjusted so that they fill the text block exactly."""
    return (*widths[:-1], TEXT_WIDTH - sum(widths[:-1]))


def text_ems(text: str) -> float:
    """Width in characters: 1 for a Chinese character or full-width sign, ½ for a Latin letter or digit."""
    if text.isascii():  # no ASCII character is wide or ambiguous
        return 0.5 * len(text)
    return sum(1.0 if unicodedata.east_asian_width(c) in "WFA" else 0.5 for c in text)


def signature_starts(signature: str, date: str) -> tuple[int, int]:
    """Left indents (twips) of 署名 and 成文日期 by GB/T 9704 7.3.5.2: 署名 右空二字, the date starting
    two characters right of the 署名's first character; a date that would then come closer than two
    characters to the right edge keeps 右空二字 and the 署名 moves left. The starts are fixed rather
    than the ends, so that a renderer's own spacing of digits (LibreOffice ignores ``w:autoSpaceDN``)
    cannot move the date against the 署名."""
    s, d = text_ems(signature), text_ems(date)
    start_signature = CHARS - 2 - s
    if start_signature + 2 + d > CHARS - 2:
        start_signature = CHARS - 2 - d - 2
    return round(start_signature * CHAR_PITCH), round((start_signature + 2) * CHAR_PITCH)


def _page(word: Document) -> None:
    section = word.sections[0]
    section.page_width, section.page_height = Twips(PAGE_WIDTH), Twips(PAGE_HEIGHT)
    section.top_margin, section.bottom_margin = Twips(TOP), Twips(BOTTOM)
    section.left_margin, section.right_margin = Twips(INSIDE), Twips(OUTSIDE)
    section.gutter = Twips(0)
    section.footer_distance = Twips(FOOTER_DISTANCE)
    section.header_distance = Twips(mm(15))
    grid = section._sectPr.find(qn("w:docGrid"))
    grid.attrib.clear()
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH))


def _settings(word: Document, lang: str) -> None:
    settings = word.settings
    settings.odd_and_even_pages_header_footer = True
    settings.element.insert_element_before(OxmlElement("w:mirrorMargins"), *_SETTINGS_AFTER_MIRROR)
    for compat in settings.element.iter(qn("w:compatSetting")):
        if compat.get(qn("w:name")) == "compatibilityMode":
            compat.set(qn("w:val"), "15")  # Word 2013 and later: no 兼容模式, tables aligned with the margins
    theme_lang = settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), "en-US" if lang == "zh" else "en-GB")
        theme_lang.set(qn("w:eastAsia"), "zh-CN")


def _styles(word: Document, lang: str) -> None:
    styles = word.styles
    for style in styles.element.findall(qn("w:style")):
        if style.get(qn("w:styleId")) not in _KEPT_STYLES:
            styles.element.remove(style)
    _defaults(styles.element, lang)
    normal = styles["Normal"]
    _form(normal, _Spec("Normal", "body", indent_chars=2), lang)
    for spec in _specs(lang):
        style = styles.add_style(spec.name, WD_STYLE_TYPE.PARAGRAPH, builtin=spec.name not in _CUSTOM)
        style.style_id = spec.name.replace(" ", "")
        style.base_style = normal
        style.next_paragraph_style = normal
        style.quick_style = True
        _form(style, spec, lang)


_CUSTOM = {"Table Text", "Table Text Small", "Table Note"}


def _defaults(styles_element, lang: str) -> None:  # w:styles
    """Document defaults: the body's fonts and size, Chinese as the East Asian language, no spacing."""
    doc_defaults = styles_element.find(qn("w:docDefaults"))
    rpr = doc_defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    for child in list(rpr):
        rpr.remove(child)
    face = fonts.FACES[lang]["body"]
    rpr.append(_element("w:rFonts", ascii=face.latin, hAnsi=face.latin, eastAsia=face.east_asia, cs=face.latin))
    rpr.append(_element("w:sz", val=str(BODY_SIZE.twips // 10)))
    rpr.append(_element("w:szCs", val=str(BODY_SIZE.twips // 10)))
    rpr.append(_element("w:lang", val="en-US" if lang == "zh" else "en-GB", eastAsia="zh-CN", bidi="ar-SA"))
    spacing = doc_defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
    spacing.attrib.clear()
    spacing.set(qn("w:after"), "0")


def _form(style, spec: _Spec, lang: str) -> None:  # a paragraph style
    set_run_fonts(style.element, fonts.FACES[lang][spec.role], hint=lang == "zh")
    style.font.size = spec.size
    style.font.bold = spec.bold
    if lang == "zh":  # 28 characters a line: 16 pt text condensed (5.2.3), other sizes as they are
        condensed = -CONDENSED if spec.size == BODY_SIZE else 0
        rpr = style.element.get_or_add_rPr()
        rpr.insert_element_before(_element("w:spacing", val=str(condensed)), *_RPR_AFTER_SPACING)
    fmt = style.paragraph_format
    fmt.alignment = spec.align
    fmt.space_before, fmt.space_after = Twips(0), Twips(spec.space_after)  # the title: 空一行 below it
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Twips(spec.line)
    fmt.keep_with_next = spec.keep_next or None
    fmt.widow_control = lang == "en"  # as Chinese Word has it: no 孤行控制, so that every page holds 22 lines
    ppr = style.element.get_or_add_pPr()
    _indent(ppr, spec.indent_chars)
    if not spec.autospace:
        for name in ("w:autoSpaceDE", "w:autoSpaceDN"):
            ppr.insert_element_before(_element(name, val="0"), *_PPR_AFTER_AUTOSPACE)
    if not spec.on_grid:
        ppr.insert_element_before(_element("w:snapToGrid", val="0"), *_PPR_AFTER_SNAP, *_PPR_AFTER_OUTLINE)
    if spec.outline is not None:
        ppr.insert_element_before(_element("w:outlineLvl", val=str(spec.outline)), *_PPR_AFTER_OUTLINE)


def _indent(ppr, chars: int) -> None:  # w:pPr
    """First-line indent in characters (``w:firstLineChars``, which Word and WPS use) and in twips."""
    ind = ppr.get_or_add_ind()
    ind.set(qn("w:firstLine"), str(round(chars * CHAR_PITCH)))
    ind.set(qn("w:firstLineChars"), str(chars * 100))


def _page_numbers(word: Document) -> None:
    """``— 1 —`` as a PAGE field: odd pages 右空一字 (the Footer style is right-aligned), even pages 左空一字."""
    section = word.sections[0]
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    for paragraph in (odd, even):
        paragraph.style = "Footer"
        _page_field(paragraph)
    odd.paragraph_format.right_indent = Twips(round(CHAR_PITCH))
    even.alignment = WD_ALIGN_PARAGRAPH.LEFT
    even.paragraph_format.left_indent = Twips(round(CHAR_PITCH))


def _page_field(paragraph: Paragraph) -> None:
    paragraph.add_run("— ")
    paragraph.add_run()._r.append(_element("w:fldChar", fldCharType="begin"))
    instruction = _element("w:instrText")
    instruction.text = " PAGE "
    instruction.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    paragraph.add_run()._r.append(instruction)
    paragraph.add_run()._r.append(_element("w:fldChar", fldCharType="separate"))
    paragraph.add_run("1")  # shown until the application updates the field
    paragraph.add_run()._r.append(_element("w:fldChar", fldCharType="end"))
    paragraph.add_run(" —")


def _element(tag: str, **attrs: str):  # an lxml element
    element = OxmlElement(tag)
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), value)
    return element


_APP_XML = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    b"<Application>sitegen</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
    b"<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>"
    b"</Properties>"
)
