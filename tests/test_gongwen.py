"""The 公文 DOCX (sitegen.office.gongwen), read back with python-docx: GB/T 9704-2012 page, grid, styles,
fonts, page numbers, tables, 署名 and 成文日期; byte-identical output; narratives from Markdown.

LibreOffice's rendering of the same documents is tested in tests/test_gongwen_pdf.py.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import os
import subprocess
import sys
import time
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.shared import Pt

from gongwen_samples import (
    DATE,
    FIGURES,
    SIGNATURE,
    TITLE,
    english,
    summary,
    wide_table,
)
from sitegen.office.gongwen import (
    FigureTable,
    GongwenDocument,
    Paragraph,
    Run,
    Section,
    Subheading,
    narrative_blocks,
    write_docx,
)
from sitegen.site.markup import render_markdown

ROOT = Path(__file__).resolve().parents[1]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CHAR_MM = 156 / 28
"""GB/T 9704's 一字: the text block's width over 28 characters."""


@pytest.fixture(scope="module")
def summary_docx() -> bytes:
    return write_docx(summary())


@pytest.fixture(scope="module")
def word(summary_docx: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(summary_docx))


def mm(length: int | None) -> float:
    return (length or 0) / 36000


def twips_mm(value: str | None) -> float:
    return int(value or 0) * 25.4 / 1440


def r_fonts(style) -> dict[str, str]:  # a python-docx style
    rfonts = style.element.find(f"{W}rPr/{W}rFonts")
    return {key.removeprefix(W): value for key, value in rfonts.attrib.items()}


def text_ems(text: str) -> float:
    return sum(0.5 if c.isascii() else 1.0 for c in text)


# The page


def test_the_page_is_a4_with_the_margins_of_gbt_9704(word) -> None:
    section = word.sections[0]
    assert (round(mm(section.page_width), 1), round(mm(section.page_height), 1)) == (210.0, 297.0)
    assert round(mm(section.top_margin), 1) == 37.0  # 天头
    assert round(mm(section.left_margin), 1) == 28.0  # 订口 (inside, the margins being mirrored)
    assert round(mm(section.page_width - section.left_margin - section.right_margin), 1) == 156.0
    assert round(mm(section.page_height - section.top_margin - section.bottom_margin), 1) == 225.0
    assert mm(section.gutter) == 0
    settings = word.settings.element
    assert settings.find(f"{W}mirrorMargins") is not None  # both sides printed: the 订口 is inside
    assert word.settings.odd_and_even_pages_header_footer


def test_the_grid_has_22_lines_of_28_characters(word) -> None:
    section = word.sections[0]
    grid = section._sectPr.find(f"{W}docGrid")
    pitch = int(grid.get(f"{W}linePitch"))
    height = (section.page_height - section.top_margin - section.bottom_margin) / 635  # twips
    width = (section.page_width - section.left_margin - section.right_margin) / 635
    assert grid.get(f"{W}type") == "lines"
    assert 22 * pitch <= height < 23 * pitch
    normal = word.styles["Normal"]
    assert normal.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert round(normal.paragraph_format.line_spacing.twips) == pitch
    advance = normal.font.size.twips + int(normal.element.find(f"{W}rPr/{W}spacing").get(f"{W}val"))
    assert 28 * advance <= width < 29 * advance  # 16 pt condensed: 28 characters fill a line


@pytest.mark.parametrize(
    "name, east_asia, size, align",
    [
        ("Title", "方正小标宋简体", 22, WD_ALIGN_PARAGRAPH.CENTER),
        ("Normal", "仿宋_GB2312", 16, WD_ALIGN_PARAGRAPH.JUSTIFY),
        ("Heading 1", "黑体", 16, WD_ALIGN_PARAGRAPH.JUSTIFY),
        ("Heading 2", "楷体_GB2312", 16, WD_ALIGN_PARAGRAPH.JUSTIFY),
        ("Heading 3", "仿宋_GB2312", 16, WD_ALIGN_PARAGRAPH.JUSTIFY),
        ("Heading 4", "仿宋_GB2312", 16, WD_ALIGN_PARAGRAPH.JUSTIFY),
        ("Footer", "宋体", 14, WD_ALIGN_PARAGRAPH.RIGHT),
    ],
)
def test_styles_have_the_fonts_and_sizes_of_gbt_9704(word, name: str, east_asia: str, size: int, align) -> None:
    style = word.styles[name]
    fonts = r_fonts(style)
    assert fonts["eastAsia"] == east_asia
    assert fonts["ascii"] == fonts["hAnsi"] == ("宋体" if name == "Footer" else "Times New Roman")
    assert not [key for key in fonts if key.endswith("Theme") or key == "cstheme"]  # a theme font would win
    assert style.font.size == Pt(size)
    assert not style.font.bold
    assert style.paragraph_format.alignment == align


def test_text_is_indented_two_characters_and_headings_too(word) -> None:
    for name in ("Normal", "Heading 1", "Heading 2", "Heading 3", "Heading 4"):
        ind = word.styles[name].element.find(f"{W}pPr/{W}ind")
        assert ind.get(f"{W}firstLineChars") == "200"  # 左空二字, in characters as Word and WPS count them
        assert twips_mm(ind.get(f"{W}firstLine")) == pytest.approx(2 * CHAR_MM, abs=0.05)
    ind = word.styles["Title"].element.find(f"{W}pPr/{W}ind")
    assert ind.get(f"{W}firstLineChars") == "0"


def test_the_document_defaults_are_chinese_and_the_body_font(word) -> None:
    rpr = word.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    assert rpr.find(f"{W}rFonts").get(f"{W}eastAsia") == "仿宋_GB2312"
    assert rpr.find(f"{W}lang").get(f"{W}eastAsia") == "zh-CN"
    assert rpr.find(f"{W}sz").get(f"{W}val") == "32"


# Content


def test_headings_are_numbered_by_level(word) -> None:
    headings = [(p.style.name, p.text) for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [
        ("Heading 1", "一、组织领导"),
        ("Heading 2", "（一）调整领导小组"),  # from the narrative's ## heading
        ("Heading 1", "二、宣传活动"),
        ("Heading 2", "（一）重要节点"),  # a subsection
        ("Heading 3", "1.国家宪法日"),
    ]
    assert word.paragraphs[0].text == TITLE
    assert word.paragraphs[0].style.name == "Title"


def test_four_levels_of_numbers_and_more_than_ten() -> None:
    deep = Section("甲", subsections=(Section("乙", subsections=(Section("丙", subsections=(Section("丁"),)),)),))
    many = tuple(Section(f"第{n}项") for n in range(2, 13))
    doc = docx.Document(io.BytesIO(write_docx(GongwenDocument("标题", (deep, *many), SIGNATURE, DATE))))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:4] == ["一、甲", "（一）乙", "1.丙", "（1）丁"]
    assert headings[-3:] == ["十、第10项", "十一、第11项", "十二、第12项"]
    with pytest.raises(ValueError, match="at most 4"):
        write_docx(GongwenDocument("标题", (Section("1", subsections=(deep,)),), SIGNATURE, DATE))


def test_bold_runs_stay_bold(word) -> None:
    paragraph = next(p for p in word.paragraphs if "谁执法谁普法" in p.text)
    assert [(r.text, bool(r.bold)) for r in paragraph.runs if r.bold] == [("“谁执法谁普法”", True)]
    assert paragraph.style.name == "Normal"


def test_figures_are_a_table_with_the_values_as_given(word, summary_docx: bytes) -> None:
    (table,) = word.tables
    cells = [tuple(cell.text for cell in row.cells) for row in table.rows]
    assert cells == [FIGURES.head, *FIGURES.rows]
    first = table.rows[0]._tr
    assert first.find(f"{W}trPr/{W}tblHeader") is not None  # the header row repeats on every page
    assert all(row._tr.find(f"{W}trPr/{W}cantSplit") is not None for row in table.rows)
    assert round(twips_mm(table._tbl.tblPr.find(f"{W}tblW").get(f"{W}w")), 1) == 156.0
    assert round(mm(sum(column.width for column in table.columns)), 1) == 156.0
    assert {p.style.name for row in table.rows for cell in row.cells for p in cell.paragraphs} == {"Table Text"}
    assert word.styles["Table Text"].font.size == Pt(16)  # 3号 when the columns fit
    header_fonts = {
        r.element.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia") for r in table.rows[0].cells[0].paragraphs[0].runs
    }
    assert header_fonts == {"黑体"}
    caption = next(p for p in word.paragraphs if p.text == FIGURES.caption)
    assert caption.style.name == "Caption"
    names = zipfile.ZipFile(io.BytesIO(summary_docx)).namelist()
    assert not [n for n in names if n.startswith("word/media/")]  # figures are never a chart image


def test_a_wide_table_is_set_in_4hao() -> None:
    doc = docx.Document(io.BytesIO(write_docx(wide_table())))
    (table,) = doc.tables
    styles = {p.style.name for row in table.rows for cell in row.cells for p in cell.paragraphs}
    assert styles == {"Table Text Small"}
    assert doc.styles["Table Text Small"].font.size == Pt(14)
    widths = [column.width for column in table.columns]
    assert round(mm(sum(widths)), 1) == 156.0
    assert widths[-1] > widths[1]  # "含线上活动" needs more room than "24"


def test_a_table_row_must_have_as_many_cells_as_the_header() -> None:
    with pytest.raises(ValueError, match="2 cells"):
        FigureTable("表", ("项目", "数量", "单位"), (("活动", "26"),))


# 署名, 成文日期, page numbers, properties


def test_signature_and_date_follow_gbt_9704_7_3_5_2(word) -> None:
    *_, blank, signature, date = word.paragraphs
    assert blank.text == ""  # 正文下空一行
    assert (signature.text, date.text) == (SIGNATURE, "2021年7月26日")
    start_signature, start_date = (mm(p.paragraph_format.left_indent) / CHAR_MM for p in (signature, date))
    assert signature.style.paragraph_format.first_line_indent == date.style.paragraph_format.first_line_indent == 0
    assert 28 - (start_signature + text_ems(signature.text)) == pytest.approx(2, abs=0.01)  # 署名 右空二字
    assert start_date - start_signature == pytest.approx(2, abs=0.01)  # the date starts two characters right
    for paragraph in (signature, date):  # no extra space around the digits, so the widths are known
        ppr = paragraph.style.element.find(f"{W}pPr")
        assert ppr.find(f"{W}autoSpaceDE").get(f"{W}val") == ppr.find(f"{W}autoSpaceDN").get(f"{W}val") == "0"


def test_a_date_longer_than_the_signature_keeps_two_characters_to_the_right() -> None:
    doc = docx.Document(io.BytesIO(write_docx(GongwenDocument("标题", (), "某局", datetime.date(2025, 12, 31)))))
    signature, date = doc.paragraphs[-2:]
    start_signature, start_date = (mm(p.paragraph_format.left_indent) / CHAR_MM for p in (signature, date))
    assert date.text == "2025年12月31日"
    assert 28 - (start_date + text_ems(date.text)) == pytest.approx(2, abs=0.01)
    assert start_date - start_signature == pytest.approx(2, abs=0.01)


def test_page_numbers_are_a_page_field_on_the_outside_edge(word) -> None:
    section = word.sections[0]
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        (paragraph,) = footer.paragraphs
        assert paragraph.style.name == "Footer"
        own = paragraph.alignment
        assert (paragraph.style.paragraph_format.alignment if own is None else own) == align
        indent = (
            paragraph.paragraph_format.right_indent
            if align == WD_ALIGN_PARAGRAPH.RIGHT
            else paragraph.paragraph_format.left_indent
        )
        assert mm(indent) == pytest.approx(CHAR_MM, abs=0.05)  # 单页码居右空一字，双页码居左空一字
        instructions = [t.text.strip() for t in paragraph._p.iter(f"{W}instrText")]
        assert instructions == ["PAGE"]
        assert [f.get(f"{W}fldCharType") for f in paragraph._p.iter(f"{W}fldChar")] == ["begin", "separate", "end"]
        assert paragraph.text == "— 1 —"
    line = word.styles["Footer"].paragraph_format.line_spacing
    middle = mm(section.footer_distance) + mm(line) / 2
    assert mm(section.bottom_margin) - middle == pytest.approx(7, abs=0.3)  # 一字线上距版心下边缘7 mm


def test_properties_are_fixed_by_the_date_not_the_build(word, summary_docx: bytes) -> None:
    props = word.core_properties
    assert props.title == TITLE
    assert props.author == props.last_modified_by == SIGNATURE
    midnight = datetime.datetime(2021, 7, 26, tzinfo=datetime.UTC)
    assert props.created == props.modified == midnight
    package = zipfile.ZipFile(io.BytesIO(summary_docx))
    assert not [n for n in package.namelist() if b"python-docx" in package.read(n)]
    assert not [n for n in package.namelist() if "thumbnail" in n or "customXml" in n or "WithEffects" in n]
    assert "word/numbering.xml" not in package.namelist()  # its lists referred to styles no longer there


def test_the_font_table_names_the_fallbacks(summary_docx: bytes) -> None:
    table = docx.oxml.parse_xml(zipfile.ZipFile(io.BytesIO(summary_docx)).read("word/fontTable.xml"))
    alt = {f.get(f"{W}name"): f.find(f"{W}altName").get(f"{W}val") for f in table if f.find(f"{W}altName") is not None}
    assert alt["仿宋_GB2312"] == "仿宋" and alt["仿宋"] == "FangSong"
    assert alt["楷体_GB2312"] == "楷体" and alt["楷体"] == "KaiTi"
    assert alt["方正小标宋简体"] == "华文中宋" and alt["华文中宋"] == "STZhongsong"
    assert alt["黑体"] == "SimHei" and alt["宋体"] == "SimSun"
    assert all(len(name) <= 31 and "," not in name for name in alt.values())  # Word reads one name of ≤ 31
    styles = zipfile.ZipFile(io.BytesIO(summary_docx)).read("word/styles.xml").decode()
    used = {f.get(f"{W}eastAsia") for f in docx.oxml.parse_xml(styles.encode()).iter(f"{W}rFonts")}
    assert used <= {f.get(f"{W}name") for f in table}


# The same bytes every time


def test_the_package_has_fixed_times_order_and_storage(summary_docx: bytes) -> None:
    infos = zipfile.ZipFile(io.BytesIO(summary_docx)).infolist()
    assert [i.filename for i in infos[:2]] == ["[Content_Types].xml", "_rels/.rels"]
    assert [i.filename for i in infos[2:]] == sorted(i.filename for i in infos[2:])
    assert {(i.date_time, i.compress_type, i.create_system, i.external_attr) for i in infos} == {
        ((1980, 1, 1, 0, 0, 0), zipfile.ZIP_DEFLATED, 3, 0o644 << 16)
    }


def test_the_same_document_gives_the_same_bytes_at_another_time(monkeypatch, summary_docx: bytes) -> None:
    def stamps() -> set[tuple[int, ...]]:
        buffer = io.BytesIO()
        docx.Document().save(buffer)  # python-docx alone, to show that the clock does reach the package
        return {i.date_time for i in zipfile.ZipFile(buffer).infolist()}

    now = stamps()
    monkeypatch.setattr(time, "time", lambda: 2_000_000_000.0)  # 2033-05-18
    assert stamps() != now
    assert write_docx(summary()) == summary_docx


def test_the_same_document_gives_the_same_bytes_in_another_process(summary_docx: bytes) -> None:
    script = (
        "import hashlib, sys; sys.path.insert(0, sys.argv[1]); import gongwen_samples as s; "
        "from sitegen.office.gongwen import write_docx; print(hashlib.sha256(write_docx(s.summary())).hexdigest())"
    )
    env = dict(os.environ, TZ="America/Los_Angeles", LC_ALL="C", PYTHONHASHSEED="12345", PYTHONPATH=str(ROOT / "src"))
    result = subprocess.run(
        [sys.executable, "-c", script, str(ROOT / "tests")], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == hashlib.sha256(summary_docx).hexdigest()


# English


def test_an_english_document_has_its_own_numbers_fonts_and_date() -> None:
    doc = docx.Document(io.BytesIO(write_docx(english())))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings == ["1. Leadership", "1.1 Leading group", "2. Publicity", "2.1 Figures"]
    assert doc.paragraphs[-1].text == "26 July 2021"
    assert doc.paragraphs[-2].text == "District Justice Bureau"
    for name in ("Title", "Normal", "Heading 1"):
        assert r_fonts(doc.styles[name])["ascii"] == "Times New Roman"
    assert doc.styles["Heading 1"].font.bold
    assert doc.styles["Normal"].element.find(f"{W}rPr/{W}spacing") is None  # Latin text is not condensed
    assert [c.text for c in doc.tables[0].rows[1].cells] == ["Copies", "1,000+"]
    assert doc.core_properties.language == "en-GB"


# Narratives in Markdown

NARRATIVE = """\
> 示例数据，非真实统计。

# 一、加强组织领导

本局成立了普法工作**领导小组**，[详见通知](https://www.example.gov.cn/tz.html)，
由局长任组长。![合影](photo.jpg)

### （一）制度建设

1. 制定年度普法计划；
2. 落实**学法**制度。

- 宪法宣传周

- 民法典宣传月

The leading group met
twice a year.

| 项目 | 数量 |
|---|---:|
| 发放资料 | 1000余册 |
| 考试平均分 | 96分以上 |
"""


def test_narrative_markdown_becomes_blocks() -> None:
    assert narrative_blocks(NARRATIVE) == (
        Paragraph.plain("示例数据，非真实统计。"),
        Subheading("加强组织领导", 1),  # the typed 一、 is dropped: the document numbers its headings
        Paragraph((Run("本局成立了普法工作"), Run("领导小组", bold=True), Run("，详见通知，由局长任组长。"))),
        Subheading("制度建设", 2),
        Paragraph((Run("1."), Run("制定年度普法计划；"))),
        Paragraph((Run("2."), Run("落实"), Run("学法", bold=True), Run("制度。"))),
        Paragraph.plain("宪法宣传周"),
        Paragraph.plain("民法典宣传月"),
        Paragraph.plain("The leading group met twice a year."),
        FigureTable("", ("项目", "数量"), (("发放资料", "1000余册"), ("考试平均分", "96分以上"))),
    )


def test_nested_numbered_lists_and_line_breaks() -> None:
    blocks = narrative_blocks("1. 第一项\n    1. 细目甲\n    2. 细目乙\n2. 第二项  \n续行\n")
    assert [b.text for b in blocks] == ["1.第一项", "（1）细目甲", "（2）细目乙", "2.第二项\n续行"]
    assert narrative_blocks("## 1.5万人次参与\n\n### （二）制度") == (
        Subheading("1.5万人次参与"),
        Subheading("制度", 2),
    )


def test_narrative_headings_go_below_their_section() -> None:
    section = Section("组织领导", narrative_blocks(NARRATIVE))
    doc = docx.Document(io.BytesIO(write_docx(GongwenDocument("标题", (section,), SIGNATURE, DATE))))
    headings = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [("Heading 1", "一、组织领导"), ("Heading 2", "（一）加强组织领导"), ("Heading 3", "1.制度建设")]
    assert [c.text for c in doc.tables[0].rows[2].cells] == ["考试平均分", "96分以上"]


class _SiteParagraphs(HTMLParser):
    """The text of each ``<p>`` of the site's HTML for a narrative, as a reader sees it."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.current: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "p":
            self.current = []

    def handle_data(self, data: str) -> None:
        if self.current is not None:
            self.current.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "p" and self.current is not None:
            self.found.append("".join("".join(self.current).split()))
            self.current = None


@pytest.mark.parametrize(
    "path",
    sorted((ROOT / "content" / "units").glob("**/*.zh.md")),
    ids=lambda p: p.relative_to(ROOT / "content").as_posix(),
)
def test_the_example_narratives_say_what_their_site_pages_say(path: Path) -> None:
    """Every paragraph of an example narrative, as the site shows it, is in the document's blocks."""
    text = path.read_text(encoding="utf-8")
    blocks = narrative_blocks(text)
    site = _SiteParagraphs()
    site.feed(render_markdown(text))
    joined = "".join("".join(b.text.split()) for b in blocks if not isinstance(b, FigureTable))
    assert site.found and [p for p in site.found if p not in joined] == []
    assert write_docx(GongwenDocument("标题", (Section("正文", blocks),), SIGNATURE, DATE))


@pytest.mark.parametrize("make", [summary, english, wide_table], ids=lambda f: f.__name__)
def test_every_part_and_style_referred_to_is_there(make) -> None:
    """What Word refuses or repairs: a member without a content type, a style or part named but missing."""
    package = zipfile.ZipFile(io.BytesIO(write_docx(make())))
    names = set(package.namelist())
    types = docx.oxml.parse_xml(package.read("[Content_Types].xml"))
    overrides = {t.get("PartName").lstrip("/") for t in types if t.get("PartName")}
    defaults = {t.get("Extension") for t in types if t.get("Extension")}
    assert overrides <= names
    assert all(n in overrides or n.rsplit(".", 1)[-1] in defaults for n in names - {"[Content_Types].xml"})
    for rels in (n for n in names if n.endswith(".rels")):
        folder = rels.rsplit("_rels/", 1)[0]  # "word/" for word/_rels/document.xml.rels, "" for _rels/.rels
        for rel in docx.oxml.parse_xml(package.read(rels)):
            target = os.path.normpath(folder + rel.get("Target")).lstrip("/")
            assert rel.get("TargetMode") == "External" or target in names, (rels, target)
    styles = {s.get(f"{W}styleId") for s in docx.oxml.parse_xml(package.read("word/styles.xml")).iter(f"{W}style")}
    for part in ("word/document.xml", "word/footer1.xml", "word/footer2.xml", "word/styles.xml"):
        root = docx.oxml.parse_xml(package.read(part))
        for tag in ("pStyle", "rStyle", "tblStyle", "basedOn", "next", "link"):
            assert {e.get(f"{W}val") for e in root.iter(f"{W}{tag}")} <= styles, (part, tag)


@pytest.mark.parametrize("value", ["12", "约8.6万", " leading", "trailing ", "a\tb", "two\nlines", "cr\rlf", ""])
def test_table_cells_get_the_text_python_docx_would_give(value):
    """Table cells are filled without python-docx's walk through the run: the XML must be the one it writes."""
    from docx.oxml.ns import qn
    from lxml import etree

    from sitegen.office.gongwen import _set_text

    ours, theirs = (docx.Document().add_paragraph().add_run() for _ in range(2))
    for run in (ours, theirs):
        run.font.bold = True  # a run property first, as the table's header runs have
    _set_text(ours._r, value)
    theirs.text = value
    assert etree.tostring(ours._r) == etree.tostring(theirs._r)
    assert ours._r.find(qn("w:rPr")) is not None


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("style", ["Title", "Normal", "Heading 2", "Caption", "Table Note", "Signature", "Date"])
@pytest.mark.parametrize("text", ["普法", "", " leading", "a\tb", "two\nlines"])
def test_paragraphs_get_the_xml_python_docx_would_give(lang: str, style: str, text: str) -> None:
    """Paragraphs are copies of the template's, not python-docx's ``add_paragraph``: the XML must be the one it
    writes, in a document of the same styles, for runs without properties, bold and not bold."""
    import copy

    from docx.oxml.ns import qn
    from lxml import etree

    from sitegen.office.gongwen import _Body, _template

    theirs = docx.Document(io.BytesIO(write_docx(english() if lang == "en" else summary())))
    template = _template(lang)
    ours = _Body(copy.deepcopy(template.document).find(qn("w:body")), template)
    paragraph = theirs.add_paragraph(text, style=style)
    p = ours.paragraph(style, text)
    for bold in (None, False, True):
        run = paragraph.add_run(text)
        if bold is not None:
            run.bold = bold or None
        ours.run(p, text, bold)
    assert etree.tostring(p) == etree.tostring(paragraph._p)


def test_documents_written_at_once_in_threads_are_those_written_one_by_one() -> None:
    """The template and the table forms are shared by every document of a process: threads must not mix them."""
    from concurrent.futures import ThreadPoolExecutor

    documents = [summary(), english(), wide_table()] * 4
    alone = [write_docx(doc) for doc in documents]
    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(write_docx, documents)) == alone
