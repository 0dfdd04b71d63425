"""Open data (数据开放): every figure of the site as CSV and JSON under stable paths, with a README of the fields.

``data/<unit>/<year>.csv|json`` hold a unit's figures for a year, ``data/<unit>/<period>.csv|json`` over a
plan period (by the registry's rules), ``data/site/<period>.csv|json`` all units together; ``data/README.md``
describes the fields and every indicator, generated from the registry, and ``data/statistics.xlsx`` is the
statistics workbook (:mod:`sitegen.office.statistics`). The 数据开放 / Open data page lists them. The files
do not depend on the page's language, so they sit once at the site root. Values are written as the pages
show them too (``1000余册``), beside the exact number where there is one, so nobody has to parse 余 or 约.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date

from ..content.identitymemo import IdentityMemo
from ..content.indicators import BY_ID, GROUPS, INDICATORS
from ..content.model import Content
from ..content.quantity import Quantity
from ..office import downloads as office_files
from ..office.statistics import sheets_or_empty
from . import figures as fig
from .i18n import LOCALES, Locale
from .pagetypes import Crumb, Page, home_crumb, route

FIELDS = (
    ("indicator", "指标代码", "indicator id (see the list below)"),
    ("name_zh", "指标名称", "the indicator's name in Chinese"),
    ("name_en", "指标名称（英文）", "the indicator's name in English"),
    ("group", "分组", "the indicator's group"),
    ("value", "数值", "the number; empty when the source hid or garbled it"),
    ("exact", "是否确数", "true for an exact figure; false for 余 (more than), 以上 (at least), 约 (about)"),
    ("qualifier", "限定", "exact, more_than, at_least or about"),
    ("written_zh", "原文写法", "the value as the Chinese pages write it, e.g. 1000余册"),
    ("written_en", "英文写法", "the value as the English pages write it, e.g. 1,000+ copies"),
    ("measure", "量词", "the measure word: the source's own (册) or the indicator's"),
    ("span_zh", "时段", "the years it covers when fewer than the period's, in Chinese"),
    ("span_en", "时段（英文）", "the same, in English"),
)
"""The columns of every CSV file (and the keys of every JSON record)."""


@dataclass(frozen=True)
class File:
    """A file of the site that a page brings with it (``path`` from the site root)."""

    path: str
    data: bytes


def record(key: str, q: Quantity) -> dict[str, object]:
    """One figure as an open-data record (the keys of :data:`FIELDS`)."""
    zh, en, indicator = LOCALES["zh"], LOCALES["en"], BY_ID[key]
    return {
        "indicator": key,
        "name_zh": indicator.zh,
        "name_en": indicator.en,
        "group": indicator.group,
        "value": q.value,
        "exact": q.exact,
        "qualifier": q.qualifier if q.value is not None else None,
        "written_zh": zh.value(q, key),
        "written_en": en.value(q, key),
        "measure": q.unit or indicator.measure[0],
        "span_zh": q.span.zh if q.span else None,
        "span_en": q.span.en if q.span else None,
    }


def _csv(records: list[dict[str, object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([name for name, _, _ in FIELDS])
    for rec in records:
        writer.writerow(["" if rec[name] is None else _cell(rec[name]) for name, _, _ in FIELDS])
    return out.getvalue().encode("utf-8-sig")


def _cell(value: object) -> str:
    text = str(value).lower() if isinstance(value, bool) else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text  # never a formula in a spreadsheet


def _dataset(path: str, about: Mapping[str, object], figures: fig.YearFigures | fig.PeriodFigures) -> tuple[File, ...]:
    """The JSON and CSV files of ``figures``, kept by the identity of the figures (``serve``'s rebuilds reuse the
    figures of unchanged units: writing every dataset again took a second of each rebuild of a 300-unit site)."""
    return _FILES.get(figures, path, lambda: tuple(_files(path, about, figures)), about)


def _files(path: str, about: Mapping[str, object], figures: fig.YearFigures | fig.PeriodFigures) -> Iterator[File]:
    values = figures.values if isinstance(figures, fig.YearFigures) else figures.totals()
    records = [record(i.id, values[i.id]) for i in INDICATORS if i.id in values]
    body = {**about, "figures": records}
    yield File(f"{path}.json", (json.dumps(body, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode())
    yield File(f"{path}.csv", _csv(records))


_FILES: IdentityMemo[tuple[File, ...]] = IdentityMemo(65536)


@dataclass(frozen=True)
class Dataset:
    """One row of the open-data page: what the files hold and their path without the extension."""

    unit: str | None
    when: str
    path: str


def datasets(content: Content, figures: fig.SiteFigures) -> tuple[list[Dataset], list[File | office_files.Download]]:
    """Every dataset of the site and its files (the statistics workbook as its description, written with the
    other office files)."""
    rows: list[Dataset] = []
    files: list[File | office_files.Download] = []
    for unit in content.units:
        for period in fig.periods_with_data(content, unit):
            summary = figures.unit(unit.id, period.id)
            for year in summary.years:
                if year is not None:
                    path = f"data/{unit.id}/{year.year}"
                    rows.append(Dataset(unit.id, str(year.year), path))
                    about = {"unit": unit.id, "year": year.year, "sample": year.sample}
                    files += _dataset(path, about, year)
            path = f"data/{unit.id}/{period.id}"
            rows.append(Dataset(unit.id, period.id, path))
            files += _dataset(path, {"unit": unit.id, "period": period.id, "sample": summary.sample}, summary)
    for period in content.periods:
        site = figures.site[period.id]
        if len(content.units) > 1 and site.has_years:
            path = f"data/site/{period.id}"
            rows.append(Dataset(None, period.id, path))
            files += _dataset(path, {"unit": None, "period": period.id, "sample": site.sample}, site)
    files.append(File("data/README.md", readme().encode()))
    sheets = tuple(sheets_or_empty(content, figures))
    at = "data/statistics.xlsx"
    files.append(office_files.Download("statistics.xlsx", "xlsx", "statistics.xlsx", sheets, _day(figures), at))
    return rows, files


def _day(figures: fig.SiteFigures) -> date:
    """The workbook's date: the end of the last year with data (the same on every build)."""
    return date(max((y for _, y in figures.years), default=2000), 12, 31)


def readme() -> str:
    """``data/README.md``: the fields and every indicator, from the registry."""
    lines = ["# 数据开放 / Open data", "", "字段 / Fields:", ""]
    lines += [f"- `{name}`: {zh} / {en}" for name, zh, en in FIELDS]
    lines += ["", "指标 / Indicators:", "", "| id | 指标 Indicator | 量词 Measure | 分组 Group | 多年 Over years |"]
    lines += ["| --- | --- | --- | --- | --- |"]
    for i in INDICATORS:
        group = GROUPS[i.group]
        measure = f"{i.measure[0]} / {i.measure[1]}"
        lines.append(f"| `{i.id}` | {i.zh} / {i.en} | {measure} | {group.zh} / {group.en} | {i.over_years} |")
    return "\n".join(lines) + "\n"


def page(
    content: Content, found: tuple[list[Dataset], list[File | office_files.Download]], loc: Locale, with_files: bool
) -> Page:
    """The 数据开放 / Open data page of ``loc``'s language for the :func:`datasets` ``found`` (the Chinese page
    brings the files)."""
    rows, files = found
    names = {u.id: u.info.name for u in content.units}
    periods = {p.id: p.name for p in content.periods}
    return Page(
        route=route(loc.lang, "data"),
        lang=loc.lang,
        template="opendata.html",
        title=loc.t("open_data"),
        crumbs=(home_crumb(loc), Crumb(loc.t("open_data"))),
        data={"datasets": rows, "unit_names": names, "period_names": periods, "fields": FIELDS},
        downloads=tuple(files) if with_files else (),
    )
