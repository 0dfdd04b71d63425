"""Office documents and open data from the same data as the pages: the figures in them equal the page's."""

from __future__ import annotations

import datetime
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import html5lib
import openpyxl
import pytest

from sitegen.content.indicators import BY_ID, INDICATORS
from sitegen.site.pipeline import build

ROOT = Path(__file__).resolve().parents[1]
CONTENT, TEMPLATES = ROOT / "content", ROOT / "templates"
NS = "{http://www.w3.org/1999/xhtml}"
REPORT = "zh/units/xinzhou-office/bawu/"
YEAR = "zh/units/xinzhou-office/2023/"
SOFFICE = shutil.which("soffice")


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    return build(CONTENT, tmp_path_factory.mktemp("exports") / "out", templates=TEMPLATES, write=False).files


def text(el) -> str:
    return re.sub(r"\s+", " ", "".join(el.itertext())).strip()


def card_values(html: bytes) -> set[str]:
    """Every figure shown in a card of the page (the value, without the "partly estimated" note)."""
    tree = html5lib.parse(html)
    values = set()
    cards = [div for div in tree.iter(f"{NS}div") if div.get("class") == "card"]
    for dd in (dd for card in cards for dd in card.iter(f"{NS}dd")):
        small = "".join(text(s) for s in dd.iter(f"{NS}small"))
        values.add(text(dd).removesuffix(small).strip())
    return values


def docx_cells(data: bytes) -> list[list[str]]:
    document = docx.Document(io.BytesIO(data))
    return [[cell.text.strip() for cell in row.cells] for table in document.tables for row in table.rows]


def test_report_and_year_pages_link_their_office_files(files: dict[str, bytes]) -> None:
    for page in (REPORT, YEAR, REPORT.replace("zh/", "en/")):
        tree = html5lib.parse(files[page + "index.html"])
        links = [a.get("href") for a in tree.iter(f"{NS}a") if a.get("download")]
        assert {Path(h).suffix for h in links} == {".docx", ".xlsx"}, page
        for href in links:
            assert page + href in files, href  # written beside the page


def test_the_docx_figures_equal_the_report_page(files: dict[str, bytes]) -> None:
    page = card_values(files[REPORT + "index.html"])
    cells = docx_cells(files[REPORT + "xinzhou-office-bawu.docx"])
    totals = {row[-1] for row in cells}  # the last column: the period's value (a group table's only value)
    shown = {v for v in page if re.search(r"\d", v)}
    assert shown and shown <= totals | {c for row in cells for c in row}, shown - totals
    document = docx.Document(io.BytesIO(files[REPORT + "xinzhou-office-bawu.docx"]))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "新洲区委办公室“八五”普法工作总结"
    assert "中共武汉市新洲区委办公室" in paragraphs  # 发文机关署名
    assert any(re.fullmatch(r"20\d\d年\d{1,2}月\d{1,2}日", p.strip()) for p in paragraphs)  # 成文日期


def test_the_year_docx_lists_the_years_events(files: dict[str, bytes]) -> None:
    cells = docx_cells(files[YEAR + "xinzhou-office-2023.docx"])
    page = files[YEAR + "index.html"].decode()
    titles = [row[1] for row in cells if len(row) == 3 and row[0].startswith("2023年")]
    assert titles and all(t in page for t in titles)


def test_the_xlsx_figures_equal_the_figures_of_the_page(files: dict[str, bytes]) -> None:
    book = openpyxl.load_workbook(io.BytesIO(files[REPORT + "xinzhou-office-bawu.xlsx"]))
    written = set()
    for sheet in book.worksheets:
        assert sheet.freeze_panes is not None
        for row in sheet.iter_rows(min_row=3, values_only=True):
            written |= {c for c in row if isinstance(c, str)}
            for cell in row:
                assert not (isinstance(cell, str) and cell[:1] in "=+-@"), cell
    page = {v for v in card_values(files[REPORT + "index.html"]) if re.search(r"\d", v)}
    unspanned = {re.sub(r"（[^）]*）$", "", v) for v in page}  # the span has its own column
    assert unspanned <= written, unspanned - written


def test_exact_figures_are_numbers_in_the_workbook(files: dict[str, bytes]) -> None:
    book = openpyxl.load_workbook(io.BytesIO(files["data/statistics.xlsx"]))
    sheet = next(s for s in book.worksheets if s.title.startswith("宣传活动"))
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    qiwu_free = [r for r in rows if r[1] == "xinzhou-office" and r[2] == 2023]
    assert qiwu_free and isinstance(qiwu_free[0][3], int)  # events of 2023: a number cell that sums in Excel
    assert qiwu_free[0][4].endswith("场")


def test_open_data_files_hold_every_figure(files: dict[str, bytes]) -> None:
    record = json.loads(files["data/xinzhou-office/qiwu.json"])
    by_id = {f["indicator"]: f for f in record["figures"]}
    assert by_id["materials_distributed"]["written_zh"] == "1000余册"
    assert by_id["materials_distributed"]["exact"] is False and by_id["materials_distributed"]["value"] == 1000
    csv_text = files["data/xinzhou-office/qiwu.csv"].decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("indicator,name_zh,name_en")
    readme = files["data/README.md"].decode()
    assert all(f"`{i.id}`" in readme for i in INDICATORS)
    page = files["zh/data/index.html"].decode()
    assert "data/xinzhou-office/2023.csv" in page and "data/statistics.xlsx" in page
    assert set(by_id) <= set(BY_ID)


def test_office_files_are_byte_identical_across_builds(files: dict[str, bytes], tmp_path: Path) -> None:
    again = build(CONTENT, tmp_path / "out", templates=TEMPLATES, write=False).files
    office = [n for n in files if n.endswith((".docx", ".xlsx"))]
    assert office and all(files[n] == again[n] for n in office)


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, "-m", "sitegen", *args], cwd=cwd, env=env, text=True, capture_output=True)


def test_export_writes_the_files_the_site_links(files: dict[str, bytes], tmp_path: Path) -> None:
    result = run("export", "docx", "xinzhou-office", "bawu", "-c", str(CONTENT), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "xinzhou-office-bawu.docx").read_bytes() == files[REPORT + "xinzhou-office-bawu.docx"]
    result = run("export", "docx", "xinzhou-office", "2023", "-c", str(CONTENT), "-o", "年度.docx", cwd=tmp_path)
    assert result.returncode == 0 and (tmp_path / "年度.docx").read_bytes() == files[YEAR + "xinzhou-office-2023.docx"]
    result = run("export", "xlsx", "-c", str(CONTENT), "-o", "all.xlsx", cwd=tmp_path)
    assert result.returncode == 0 and (tmp_path / "all.xlsx").read_bytes() == files["data/statistics.xlsx"]


def test_export_refuses_an_unknown_unit_period_or_year(tmp_path: Path) -> None:
    for args in (("nobody", "bawu"), ("xinzhou-office", "jiuwu-x"), ("xinzhou-office", "1999")):
        result = run("export", "docx", *args, "-c", str(CONTENT), cwd=tmp_path)
        assert result.returncode == 2 and "sitegen export" in result.stderr, result.stderr
    assert not list(tmp_path.iterdir())


@pytest.mark.skipif(SOFFICE is None and not os.environ.get("CI"), reason="LibreOffice (soffice) is not installed")
def test_libreoffice_reads_the_report_with_its_title_and_figures(files: dict[str, bytes], tmp_path: Path) -> None:
    source = tmp_path / "report.docx"
    source.write_bytes(files[REPORT + "xinzhou-office-bawu.docx"])
    profile = f"-env:UserInstallation=file://{tmp_path}/profile"
    cmd = [SOFFICE or "soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)]
    subprocess.run(cmd, check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "report.pdf"
    text_out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    flat = re.sub(r"\s+", "", text_out.stdout)
    assert "新洲区委办公室“八五”普法工作总结" in flat
    for value in card_values(files[REPORT + "index.html"]):
        if re.search(r"\d", value):
            assert re.sub(r"\s+", "", value) in flat, value
    artifacts = ROOT / "tests" / "artifacts"
    artifacts.mkdir(exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", str(pdf), str(artifacts / "report-docx")], check=True
    )
    assert list(artifacts.glob("report-docx-*.png"))


def test_office_files_kept_in_memory_stay_within_their_bound(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """serve keeps written files in memory; whether written or read from the build cache, at most the bound."""
    from sitegen.content.loader import load_content
    from sitegen.office import downloads
    from sitegen.site import buildcache, opendata
    from sitegen.site.pipeline import plan_site

    pages = plan_site(load_content(ROOT / "content"))
    wanted = [d for p in pages for d in p.downloads if isinstance(d, downloads.Download)][:10]
    monkeypatch.setattr(downloads, "MEMORY_FILES", 4)
    monkeypatch.setattr(downloads, "_MEMORY", downloads._Memory())
    cache = buildcache.BuildCache(tmp_path / "cache")
    with buildcache.session(cache):
        written = [downloads.render(d) for d in wanted]  # one at a time, as serve reads them
    assert len(downloads._MEMORY) == 4 and not isinstance(wanted[0], opendata.File)
    monkeypatch.setattr(downloads, "_MEMORY", downloads._Memory())
    again = buildcache.BuildCache(tmp_path / "cache")
    with buildcache.session(again):
        assert [downloads.render(d) for d in wanted] == written and again.counts.hits >= 8
    assert len(downloads._MEMORY) == 4


def test_office_files_are_deflated_packages_of_one_form(tmp_path: Path) -> None:
    """DOCX and XLSX alike: members deflated as Word writes them (stored, a 公文 was eight times larger: 650 MB of a
    city site's output), in a fixed order, with one time stamp, system and mode, whatever the machine."""
    result = build(ROOT / "content", tmp_path / "out", templates=ROOT / "templates", today=datetime.date(2026, 12, 1))
    office = [n for n in result.files if n.endswith((".docx", ".xlsx")) and not n.startswith("media/")]
    assert {n.rsplit(".", 1)[1] for n in office} == {"docx", "xlsx"}
    for name in office:
        infos = zipfile.ZipFile(io.BytesIO(result.files[name])).infolist()
        assert [i.filename for i in infos[:2]] == ["[Content_Types].xml", "_rels/.rels"], name
        assert [i.filename for i in infos[2:]] == sorted(i.filename for i in infos[2:]), name
        assert {(i.compress_type, i.create_system, i.external_attr) for i in infos} == {
            (zipfile.ZIP_DEFLATED, 3, 0o644 << 16)
        }, name
        assert len({i.date_time for i in infos}) == 1
        assert sum(i.compress_size for i in infos) < sum(i.file_size for i in infos) / 2, name
