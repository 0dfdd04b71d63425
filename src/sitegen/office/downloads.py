"""Office files beside the pages: each report and year page links its 公文 DOCX and an XLSX of its figures.

Pages are planned with :class:`Download` descriptions (the document to write, computed from the same
figures as the page); the build turns each into bytes with :func:`render` and writes it beside the page.
Both writers are deterministic, so the files are byte-identical across builds; a file is written once per
distinct document in a process (serve's rebuilds and the two languages of an XLSX share it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
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
    at: str | None = None
    """Its path from the site root when it is not beside the page (``data/statistics.xlsx``)."""

    def path(self, route: str) -> str:
        """Where the file is written for a page at ``route``."""
        return self.at if self.at is not None else route + self.name


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
    return next(rendered([download]))


def rendered(
    downloads: Sequence[Download],
    jobs: int = 1,
    progress: Callable[[Iterable[bytes], int], Iterable[bytes]] | None = None,
    *,
    remember: bool = True,
) -> Iterator[bytes]:
    """The bytes of each of ``downloads``, in order, each as soon as it is there: each distinct document is taken
    from this process's memory or the build cache, or else written, over ``jobs`` processes (started now:
    :func:`sitegen.site.parallel.mapped`) and kept. Only a file asked for again later (the XLSX of both
    languages) waits in memory. ``progress`` wraps the writes (an iterable and its length) in a progress line.
    ``remember``: keep them in this process's memory too (for the next build in it: ``serve``'s, not
    ``build``'s, whose site would hold them twice: a city site's 141 MB)."""
    from ..site import parallel  # not at import: the site's page modules import this one

    cache = buildcache.current()
    keys = [_key(d) for d in downloads]
    if remember:
        _MEMORY.limit = max(_MEMORY.limit, MEMORY_FILES, 2 * len(keys))  # two builds of the largest site built
    found: dict[object, bytes] = {}
    missing: dict[object, Download] = {}
    for download, key in zip(downloads, keys, strict=True):
        if key in found or key in missing:
            continue
        data = _kept(cache, key, remember)
        if data is None:
            missing[key] = download
        else:
            found[key] = data
    written = parallel.mapped(_write_download, list(missing.values()), jobs)
    made = zip(missing, progress(written, len(missing)) if progress else written, strict=True)
    return _in_order(keys, found, made, lambda key, data: _keep(cache, key, data, remember))


def _in_order(
    keys: list[object],
    found: dict[object, bytes],
    made: Iterator[tuple[object, bytes]],
    keep: Callable[[object, bytes], None],
) -> Iterator[bytes]:
    """The bytes of each key in order, from ``found`` or the next of ``made`` (written in the order the keys are
    first asked for); each let go after the last time it is asked for."""
    asked = Counter(keys)
    for key in keys:
        while key not in found:
            key_made, data = next(made)
            found[key_made] = data
            keep(key_made, data)
        asked[key] -= 1
        yield found[key] if asked[key] else found.pop(key)


def document_key(download: Download) -> bytes | None:
    """The canonical hash of the file's document, which keeps its bytes (:func:`kept`); None for a document
    without a canonical form (never expected)."""
    return buildcache.canonical_key("office", download.kind, download.document, download.created)


def kept(key: bytes) -> bytes | None:
    """The bytes of the file whose document has this :func:`document_key`, if this process or the build cache
    keeps them (for a page kept rendered by ``build``: not kept in memory, see :func:`rendered`)."""
    return _kept(buildcache.current(), key, remember=False)


def _key(download: Download) -> object:
    """:func:`document_key`, or for a document without one a key of its own: written every time, never kept."""
    return document_key(download) or object()


def _kept(cache: buildcache.BuildCache | None, key: object, remember: bool = True) -> bytes | None:
    if not isinstance(key, bytes):
        return None
    data = _MEMORY.pop(key, None) or (cache.get(cache.key("office", key.hex()), bytes) if cache else None)
    if data is not None and remember:
        _remember(key, data)
    return data


def _keep(cache: buildcache.BuildCache | None, key: object, data: bytes, remember: bool) -> None:
    if not isinstance(key, bytes):
        return
    if remember:
        _remember(key, data)
    if cache is not None:
        cache.put(cache.key("office", key.hex()), data)


def _remember(key: bytes, data: bytes) -> None:
    _MEMORY[key] = data  # the most recently used last: dicts keep their order
    while len(_MEMORY) > _MEMORY.limit:
        del _MEMORY[next(iter(_MEMORY))]


class _Memory(dict):
    """Files written in this process by their document's canonical hash, the most recently used last: serve's
    rebuilds take the unchanged ones from here (they are the same bytes the site holds), and so do the two
    languages of one XLSX. It keeps at least :data:`MEMORY_FILES`, and two builds' worth of the largest site
    built: a city site's 10,000 files, written again at each rebuild, made one edit cost 150 s."""

    limit = 0


_MEMORY: _Memory = _Memory()
MEMORY_FILES = 2048


def _write_download(download: Download) -> bytes:
    return _write(download.kind, download.document, download.created)


def _write(kind: str, document: object, created: object) -> bytes:
    return write_docx(document) if kind == "docx" else write_workbook(list(document), created=created)  # type: ignore[arg-type]
