"""Office files beside the pages: each report and year page links its 公文 DOCX and an XLSX of its figures.

Pages are planned with :class:`Download` descriptions (the document to write, computed from the same
figures as the page); the build turns each into bytes with :func:`render` and writes it beside the page.
Both writers are deterministic, so the files are byte-identical across builds; a file is written once per
distinct document in a process (serve's rebuilds and the two languages of an XLSX share it).
"""

from __future__ import annotations

import pickle
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from ..content.model import Content, Period, Unit
from ..site import buildcache
from ..site.figures import SiteFigures
from . import reportdoc  # the module: reportdoc reads site.unitpages, which imports this one
from .gongwen import GongwenDocument, write_docx
from .statistics import sheets
from .workbook import Sheet, write_workbook


@dataclass(frozen=True)
class Download:
    """One office file of a page: its file name beside the page, the name to save it as, what it holds."""

    name: str
    """File name beside the page: ``xinzhou-office-bawu.docx``."""
    kind: Literal["docx", "xlsx"]
    save_as: str
    """The name a browser saves it under: ``新洲区委办公室“八五”普法工作总结.docx``."""
    document: GongwenDocument | tuple[Sheet, ...]
    created: object = None
    """The workbook's date (XLSX only)."""


def report_downloads(
    content: Content, unit: Unit, period: Period, figures: SiteFigures, lang: str, narratives: Mapping[str, str]
) -> tuple[Download, ...]:
    """The DOCX (in the page's language) and the XLSX (bilingual) of a report page; ``narratives`` are its
    sections as the page rendered them (key → HTML)."""
    doc = reportdoc.report_document(content, unit, period, figures.unit(unit.id, period.id), lang, narratives)
    stem = f"{unit.id}-{period.id}"
    table = tuple(sheets(content, figures, [unit], [period]))
    return _pair(stem, doc, table)


def year_downloads(
    content: Content, unit: Unit, year: int, figures: SiteFigures, lang: str, narrative: str | None
) -> tuple[Download, ...]:
    """The DOCX and the XLSX of a year page (``narrative``: its text as the page rendered it)."""
    period = next((p for p in content.periods if year in p.years), None)
    doc = reportdoc.year_document(content, unit, year, figures.years[unit.id, year], lang, narrative)
    table = tuple(sheets(content, figures, [unit], [period], year=year)) if period else ()
    return _pair(f"{unit.id}-{year}", doc, table)


def _pair(stem: str, doc: GongwenDocument, table: tuple[Sheet, ...]) -> tuple[Download, ...]:
    name = doc.title[:80]  # the name a browser saves the file under: short enough for any file system
    out = [Download(f"{stem}.docx", "docx", f"{name}.docx", doc)]
    if table:
        out.append(Download(f"{stem}.xlsx", "xlsx", f"{name}（数据）.xlsx", table, doc.date))
    return tuple(out)


def render(download: Download) -> bytes:
    """The file's bytes: written once per process for the same document, and kept by the build cache
    (:mod:`sitegen.site.buildcache`) between builds when one is active."""
    cache = buildcache.current()
    key = buildcache.canonical_key("office", download.kind, download.document, download.created)
    if key is None:  # nothing it cannot encode is expected; never cache what has no canonical form
        return _write(download.kind, download.document, download.created)
    blob = pickle.dumps((download.kind, download.document, download.created))
    if cache is None:
        return _written(key, blob)
    return cache.memo(cache.key("office", key.hex()), bytes, lambda: _written(key, blob))


@lru_cache(maxsize=1024)
def _written(key: bytes, blob: bytes) -> bytes:
    """``key`` (the document's canonical hash) is what the cache compares; ``blob`` is the pickled document."""
    return _write(*pickle.loads(blob))  # our own objects, pickled by render()


def _write(kind: str, document: object, created: object) -> bytes:
    return write_docx(document) if kind == "docx" else write_workbook(list(document), created=created)  # type: ignore[arg-type]
