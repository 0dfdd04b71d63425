"""The 公文 DOCX as LibreOffice lays it out: converted to PDF headless, measured with poppler, page 1 drawn.

One LibreOffice run (with a private profile, so that parallel runs do not collide) converts the
sample documents of tests/gongwen_samples.py. ``pdftotext -bbox-layout`` gives every line's box,
which is compared with GB/T 9704-2012: the text block (28 mm inside, 26 mm outside on even pages,
37 mm from the top, 156 × 225 mm), 22 lines of 28 characters, the page number 7 mm below the block on
the outside edge, 署名 and 成文日期. Page 1 of the summary is kept as tests/artifacts/gongwen-page1.png
(and the PDF beside it) for a person to look at.

The machine has none of the fonts a 公文 names; a fontconfig file maps them for LibreOffice to the nearest
installed kind: 仿宋, 楷体, 宋体 and 小标宋 to Noto Serif CJK, 黑体 to Noto Sans CJK.
Without LibreOffice or poppler the tests are skipped, except on CI (``CI`` set), where they fail.
"""

from __future__ import annotations

import itertools
import math
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from browser import import_or_skip, require
from gongwen_samples import FIGURE_STRINGS, SIGNATURE, TITLE, calibrated, calibrated_lines, english, summary
from sitegen.office.gongwen import write_docx

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
SOFFICE, PDFTOTEXT, PDFTOPPM, PDFINFO, PDFFONTS = (
    "/usr/bin/soffice",
    "/usr/bin/pdftotext",
    "/usr/bin/pdftoppm",
    "/usr/bin/pdfinfo",
    "/usr/bin/pdffonts",
)
CHAR = 156 / 28  # mm: GB/T 9704's 一字
LINE = 225 / 22  # mm: the height of a line
TOP, BLOCK_BOTTOM = 37.0, 37.0 + 225.0
INSIDE, OUTSIDE = 28.0, 26.0
FONTS_CONF = """\
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
{aliases}
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
</fontconfig>
"""
SUBSTITUTES = {
    "仿宋_GB2312": "Noto Serif CJK SC",
    "楷体_GB2312": "Noto Serif CJK SC",
    "方正小标宋简体": "Noto Serif CJK SC",
    "宋体": "Noto Serif CJK SC",
    "黑体": "Noto Sans CJK SC",
}
DOCUMENTS = {"summary": summary, "calibrated": calibrated, "english": english}


@dataclass(frozen=True)
class Line:
    """One line of text on a page, its box in millimetres from the page's top left corner."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str

    @property
    def middle(self) -> float:
        return (self.y0 + self.y1) / 2


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sample documents converted by one LibreOffice run: name → PDF."""
    soffice = require(SOFFICE)
    work = tmp_path_factory.mktemp("gongwen")
    sources = []
    for name, make in DOCUMENTS.items():
        sources.append(work / f"{name}.docx")
        sources[-1].write_bytes(write_docx(make()))
    aliases = "\n".join(
        f'  <alias binding="same"><family>{font}</family><prefer><family>{to}</family></prefer></alias>'
        for font, to in SUBSTITUTES.items()
    )
    (work / "fonts.conf").write_text(FONTS_CONF.format(aliases=aliases), encoding="utf-8")
    env = dict(os.environ, FONTCONFIG_FILE=str(work / "fonts.conf"), HOME=str(work))
    command = [soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--norestore"]
    command += ["--convert-to", "pdf", "--outdir", str(work), *map(str, sources)]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    out = {name: work / f"{name}.pdf" for name in DOCUMENTS}
    missing = [name for name, pdf in out.items() if not pdf.exists()]
    assert not missing, f"LibreOffice wrote no PDF for {missing}: {result.stdout}\n{result.stderr}"
    return out


def pages(pdf: Path) -> list[list[Line]]:
    """Every page's lines, from ``pdftotext -bbox-layout``."""
    xhtml = subprocess.run(
        [require(PDFTOTEXT), "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    found: list[list[Line]] = []
    parser = _BoxParser(found)
    parser.feed(xhtml)
    return found


class _BoxParser(HTMLParser):
    def __init__(self, found: list[list[Line]]) -> None:
        super().__init__()
        self.found, self.box, self.words, self.in_word = found, (0.0,) * 4, [], False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "page":
            self.found.append([])
        elif tag == "line":
            a = dict(attrs)
            self.box, self.words = tuple(float(a[k] or 0) * 25.4 / 72 for k in ("xmin", "ymin", "xmax", "ymax")), []
        self.in_word = tag == "word"

    def handle_data(self, data: str) -> None:
        if self.in_word:
            self.words.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "line":
            self.found[-1].append(Line(*self.box, "".join(self.words)))
        self.in_word = False


def info(pdf: Path) -> dict[str, str]:
    text = subprocess.run([require(PDFINFO), str(pdf)], capture_output=True, text=True, check=True).stdout
    return dict(line.split(":", 1) for line in text.splitlines() if ":" in line)


def body(page: list[Line]) -> list[Line]:
    return [line for line in page if line.y1 < BLOCK_BOTTOM + 2]


def footer(page: list[Line]) -> Line:
    (number,) = [line for line in page if line.y0 > BLOCK_BOTTOM]
    return number


def test_the_pages_are_a4_and_as_many_as_the_text_needs(pdfs: dict[str, Path]) -> None:
    for pdf in pdfs.values():
        assert re.match(r"\s*595\.\d+ x 841\.\d+ pts \(A4\)", info(pdf)["Page size"])
    assert int(info(pdfs["summary"])["Pages"]) == 1
    assert int(info(pdfs["english"])["Pages"]) == 1
    assert int(info(pdfs["calibrated"])["Pages"]) == math.ceil(calibrated_lines() / 22)


def test_the_text_holds_the_title_figures_signature_and_date(pdfs: dict[str, Path]) -> None:
    text = "".join(
        subprocess.run(
            [require(PDFTOTEXT), str(pdfs["summary"]), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    for expected in (TITLE, *FIGURE_STRINGS, SIGNATURE, "2021年7月26日", "一、组织领导", "（一）调整领导小组", "—1—"):
        assert expected in text
    english_text = " ".join(
        subprocess.run(
            [require(PDFTOTEXT), str(pdfs["english"]), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    for expected in ("1.1 Leading group", "1,000+", "26 July 2021"):
        assert expected in english_text


def test_a_full_page_has_22_lines_of_28_characters(pdfs: dict[str, Path]) -> None:
    full = [body(page) for page in pages(pdfs["calibrated"])[1:-1]]
    assert full and all(len(lines) == 22 for lines in full), [len(lines) for lines in full]
    for lines in full:
        steps = [b.y0 - a.y0 for a, b in itertools.pairwise(lines)]
        assert max(steps) - min(steps) < 0.2 and sum(steps) / len(steps) == pytest.approx(LINE, abs=0.05)
        widths = {len(line.text) for line in lines if not line.text.startswith(("一", "二", "三", "四"))}
        assert widths <= {26, 28} and 28 in widths  # 26 after the two-character indent


def test_the_text_block_is_where_gbt_9704_puts_it(pdfs: dict[str, Path]) -> None:
    for number, page in enumerate(pages(pdfs["calibrated"]), start=1):
        lines = body(page)
        left = INSIDE if number % 2 else OUTSIDE  # mirrored: the 订口 is on the right of an even page
        full = [line for line in lines if len(line.text) == 28]
        assert full, f"page {number} has no full line"
        for line in full:
            assert line.x0 == pytest.approx(left, abs=0.3)
            assert line.x1 == pytest.approx(left + 156, abs=0.6)
        indented = [line for line in lines if len(line.text) == 26]
        assert all(line.x0 == pytest.approx(left + 2 * CHAR, abs=0.3) for line in indented)  # 左空二字
        assert TOP <= lines[0].y0 < TOP + LINE
        assert lines[-1].y1 <= BLOCK_BOTTOM


def test_page_numbers_are_7_mm_below_the_block_on_the_outside_edge(pdfs: dict[str, Path]) -> None:
    for number, page in enumerate(pages(pdfs["calibrated"]), start=1):
        mark = footer(page)
        assert mark.text == f"—{number}—"
        assert mark.middle - BLOCK_BOTTOM == pytest.approx(7, abs=1.5)  # 一字线上距版心下边缘7 mm
        if number % 2:
            assert mark.x1 == pytest.approx(INSIDE + 156 - CHAR, abs=0.7)  # 单页码居右空一字
        else:
            assert mark.x0 == pytest.approx(OUTSIDE + CHAR, abs=0.7)  # 双页码居左空一字


def test_title_signature_and_date_are_placed_by_gbt_9704(pdfs: dict[str, Path]) -> None:
    (page,) = pages(pdfs["summary"])
    title = page[0]
    assert title.text == TITLE
    assert (title.x0 + title.x1) / 2 == pytest.approx(INSIDE + 78, abs=1)  # centred
    signature, date = (next(line for line in page if line.text == text) for text in (SIGNATURE, "2021年7月26日"))
    right = INSIDE + 156
    assert right - signature.x1 == pytest.approx(2 * CHAR, abs=0.7)  # 署名 右空二字
    assert date.x0 - signature.x0 == pytest.approx(2 * CHAR, abs=0.7)  # 日期首字比署名首字右移二字
    assert date.y0 - signature.y0 == pytest.approx(LINE, abs=0.2)  # on the next line
    text_above = max(line.y1 for line in page if line.y1 < signature.y0)
    assert signature.y0 - text_above > LINE * 0.9  # 正文下空一行


def test_headings_and_text_reach_the_renderer_in_their_own_fonts(pdfs: dict[str, Path]) -> None:
    listing = subprocess.run([require(PDFFONTS), str(pdfs["summary"])], capture_output=True, text=True, check=True)
    names = [line.split()[0] for line in listing.stdout.splitlines()[2:]]
    assert [n for n in names if "SansCJK" in n]  # 黑体: the headings 一、 and the table's header row
    assert [n for n in names if "SerifCJK" in n]  # 仿宋 and the others: the text


def test_page_1_drawn_for_a_person_to_look_at(pdfs: dict[str, Path]) -> None:
    image_module = import_or_skip("PIL.Image")
    ARTIFACTS.mkdir(exist_ok=True)
    prefix = ARTIFACTS / "gongwen-page1"
    subprocess.run(
        [require(PDFTOPPM), "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdfs["summary"]), str(prefix)],
        check=True,
    )
    shutil.copyfile(pdfs["summary"], ARTIFACTS / "gongwen-summary.pdf")
    image = image_module.open(prefix.with_suffix(".png")).convert("L")
    px = image.width / 210  # pixels per millimetre

    def dark(x0: float, y0: float, x1: float, y1: float) -> int:
        box = (round(x0 * px), round(y0 * px), min(round(x1 * px), image.width), min(round(y1 * px), image.height))
        return sum(image.crop(box).histogram()[:128])

    assert abs(image.width - 210 / 25.4 * 60) < 1.5 and abs(image.height - 297 / 25.4 * 60) < 1.5
    assert dark(0, 0, 210, 297) > 0.01 * image.width * image.height  # something is drawn
    assert dark(INSIDE + 30, TOP, INSIDE + 126, TOP + LINE) > 0  # the title, centred on the first line
    assert dark(0, 0, 210, TOP - 1) == dark(0, 0, INSIDE - 1, 297) == 0  # 天头 and 订口 are white
    assert dark(INSIDE + 120, BLOCK_BOTTOM + 3, INSIDE + 156, BLOCK_BOTTOM + 12) > 0  # the page number…
    assert dark(INSIDE, BLOCK_BOTTOM + 3, INSIDE + 110, BLOCK_BOTTOM + 12) == 0  # …on the outside edge only
