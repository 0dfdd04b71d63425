"""``sitegen export``: the summary as a 公文 DOCX, the statistics as Excel, from the same data as the site.

``export docx UNIT PERIOD`` (or ``UNIT YEAR``) writes the report (or the annual summary) that the report
(or year) page shows; ``export xlsx [UNIT] [PERIOD]`` the statistics workbook of one unit or all, over one
period or every period with data. The files are the ones the build writes beside the pages, byte for byte.
"""

from __future__ import annotations

import argparse
import os
from datetime import date
from pathlib import Path

from ..content.loader import load_content
from ..content.model import Content, Period, Unit
from ..errors import ContentErrors, UsageError
from ..site.figures import SiteFigures, compute
from ..site.i18n import LOCALES
from ..site.unitpages import html_of, report_narratives, year_narrative
from . import downloads, statistics


def add_arguments(p: argparse.ArgumentParser) -> None:
    """``export docx UNIT PERIOD|YEAR`` and ``export xlsx [UNIT] [PERIOD]`` with ``-o`` and ``--lang``."""
    kinds = p.add_subparsers(dest="file_format", metavar="FORMAT", required=True)
    docx = kinds.add_parser("docx", help="a five-year (or annual) summary as a Word document in the 公文 format")
    docx.add_argument("unit", help="unit id (folder name under content/units)")
    docx.add_argument("when", metavar="PERIOD|YEAR", help="a period id (bawu) or a year (2023)")
    docx.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the document (default: zh)")
    xlsx = kinds.add_parser("xlsx", help="the statistics workbook (one sheet per group of indicators)")
    xlsx.add_argument("unit", nargs="?", help="unit id (default: every unit)")
    xlsx.add_argument("when", nargs="?", metavar="PERIOD", help="period id (default: every period with data)")
    for q in (docx, xlsx):
        q.add_argument("-o", "--output", type=Path, help="file to write (default: a name from the unit and period)")
        q.add_argument("-c", "--content", type=Path, default=argparse.SUPPRESS, help="content folder")
        q.add_argument("--today", type=date.fromisoformat, default=argparse.SUPPRESS, help="build date (YYYY-MM-DD)")


def run(args: argparse.Namespace) -> int:
    """Write the file; print its name. Exit 2 for an unknown unit, period or year."""
    content = load_content(args.content, today=getattr(args, "today", None))
    figures = compute(content)
    unit = _unit(content, args.unit) if args.unit else None
    if args.file_format == "docx":
        assert unit is not None
        data, name = _docx(content, figures, unit, args.when, args.lang)
    else:
        period = _period(content, args.when) if args.when else None
        data = statistics.workbook(content, figures, [unit] if unit else None, [period] if period else None)
        name = f"{unit.id if unit else 'all-units'}-{period.id if period else 'all-periods'}.xlsx"
    target = args.output or Path(name)
    _write(target, data)
    if not getattr(args, "quiet", False):
        print(target)
    return 0


def _docx(content: Content, figures: SiteFigures, unit: Unit, when: str, lang: str) -> tuple[bytes, str]:
    """The DOCX the year or report page links, with the narratives rendered as that page renders them."""
    loc, errors = LOCALES[lang], []
    if when.isdigit():
        if int(when) not in unit.years:
            raise UsageError(
                f"单位“{unit.id}”没有 {when} 年的年度文件（units/{unit.id}/{when}.yaml）。",
                f'Unit "{unit.id}" has no year file for {when} (units/{unit.id}/{when}.yaml).',
            )
        text = year_narrative(content, figures, unit, int(when), loc, errors)
        files = downloads.year_downloads(content, unit, int(when), figures, lang, text.html if text else None)
    else:
        period = _period(content, when)
        sections = report_narratives(unit, period, figures.unit(unit.id, period.id), loc, errors)
        files = downloads.report_downloads(content, unit, period, figures, lang, html_of(sections))
    if errors:  # a placeholder the page could not fill in: the build reports the same
        raise ContentErrors(errors)
    doc = next(d for d in files if d.kind == "docx")
    return downloads.render(doc), doc.name


def _unit(content: Content, unit_id: str) -> Unit:
    found = next((u for u in content.units if u.id == unit_id), None)
    if found is None:
        known = "、".join(u.id for u in content.units)
        raise UsageError(
            f"没有单位“{unit_id}”。已有的单位：{known}",
            f'There is no unit "{unit_id}". Units: {known.replace("、", ", ")}',
        )
    return found


def _period(content: Content, period_id: str) -> Period:
    found = next((p for p in content.periods if p.id == period_id), None)
    if found is None:
        known = "、".join(p.id for p in content.periods)
        raise UsageError(
            f"没有规划期“{period_id}”。已有的规划期：{known}",
            f'There is no period "{period_id}". Periods: {known.replace("、", ", ")}',
        )
    return found


def _write(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` through a temporary file and one rename."""
    if target.is_dir():
        raise UsageError(f"“{target}”是一个文件夹，请给出文件名。", f'"{target}" is a folder; give a file name.')
    partial = target.with_name(target.name + ".partial")
    partial.write_bytes(data)
    os.replace(partial, target)
