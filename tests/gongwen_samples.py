"""Sample documents for the 公文 DOCX tests (tests/test_gongwen.py, tests/test_gongwen_pdf.py).

- :func:`summary`: a realistic five-year summary: a narrative in Markdown, sections two levels deep,
  a table of figures with qualifiers; it fills one page.
- :func:`calibrated`: text whose lines can be counted in advance: paragraphs of 54 Chinese characters
  without punctuation, i.e. two full lines of 28 once indented by two; :func:`calibrated_lines` is
  how many lines it needs, so the page count follows from 22 lines a page.
- :func:`english`: the English version of a short summary.
- :func:`wide_table`: a table too wide for 3号 in eight columns.
"""

from __future__ import annotations

import datetime
import math

from sitegen.office.gongwen import (
    FigureTable,
    GongwenDocument,
    Paragraph,
    Run,
    Section,
    Subheading,
    narrative_blocks,
)

TITLE = "某区司法局“八五”普法工作总结"
SIGNATURE = "某区司法局普法办公室"
DATE = datetime.date(2021, 7, 26)
FIGURES = FigureTable(
    "主要数据",
    ("项目", "2021年", "2022年", "合计"),
    (
        ("宣传活动（场）", "24", "26", "50"),
        ("发放资料", "1000余册", "800册", "1800余册"),
        ("考试平均分", "96分以上", "95分", "—"),
    ),
)
FIGURE_STRINGS = ("1000余册", "96分以上", "1800余册", "宣传活动（场）")

OVERVIEW_MD = """\
“八五”普法期间，本局以宪法、民法典为学习宣传重点，坚持**“谁执法谁普法”**，
建立普法责任清单。
"""

LEADERSHIP_MD = """\
## 调整领导小组

领导小组由局长任组长，成员7人，每年召开2次专题会议。
"""


def summary() -> GongwenDocument:
    """One page: a preamble from Markdown, numbered sections, a table and the signature."""
    return GongwenDocument(
        title=TITLE,
        preamble=narrative_blocks(OVERVIEW_MD),
        sections=(
            Section("组织领导", narrative_blocks(LEADERSHIP_MD)),
            Section(
                "宣传活动",
                (FIGURES,),
                (Section("重要节点", subsections=(Section("国家宪法日", (Paragraph.plain("开展集中宣传。"),)),)),),
            ),
        ),
        signature=SIGNATURE,
        date=DATE,
    )


CALIBRATED_TEXT = "法治宣传教育进机关进社区进学校进企业进乡村进单位进网络"  # 27 characters, no punctuation
CALIBRATED_PARAGRAPH = CALIBRATED_TEXT * 2  # 54 characters: two full lines after the two-character indent
CALIBRATED_SECTIONS, CALIBRATED_PARAGRAPHS = 4, 9


def calibrated() -> GongwenDocument:
    """Several pages of lines that can be counted in advance."""
    body = tuple(Paragraph.plain(CALIBRATED_PARAGRAPH) for _ in range(CALIBRATED_PARAGRAPHS))
    sections = tuple(Section(f"第{n}部分", body) for n in range(1, CALIBRATED_SECTIONS + 1))
    return GongwenDocument(f"{TITLE}（计数）", sections, SIGNATURE, DATE)


def calibrated_lines() -> int:
    """Lines the calibrated document needs: title and the line below it, headings, paragraphs, 空一行,
    署名 and 成文日期."""
    per_paragraph = math.ceil((2 + len(CALIBRATED_PARAGRAPH)) / 28)
    return 2 + CALIBRATED_SECTIONS * (1 + CALIBRATED_PARAGRAPHS * per_paragraph) + 3


def english() -> GongwenDocument:
    return GongwenDocument(
        title="Summary of the Eighth Five-Year Law-Popularization Plan (2021-2025)",
        sections=(
            Section(
                "Leadership",
                (Paragraph((Run("The leading group "), Run("met twice a year", bold=True), Run("."))),),
                (Section("Leading group", (Paragraph.plain("Seven members."),)),),
            ),
            Section(
                "Publicity",
                (Subheading("Figures"), FigureTable("Key figures", ("Item", "Total"), (("Copies", "1,000+"),))),
            ),
        ),
        signature="District Justice Bureau",
        date=DATE,
        lang="en",
    )


def wide_table() -> GongwenDocument:
    head = ("项目", *(f"{year}年" for year in range(2021, 2026)), "合计", "备注")
    row = ("宣传活动（场）", "24", "26", "30", "28", "32", "140", "含线上活动")
    return GongwenDocument("宽表格", (Section("数据", (FigureTable("各年数据", head, (row,)),)),), SIGNATURE, DATE)
