"""The command line's grammar: every command, its options and their checks (``cli.py`` runs them).

Options follow what users bring from MkDocs, Hugo and Pelican: ``--version``, ``-q``/``-v``, short
flags (``-o`` output, ``-p`` port, ``-b`` base URL, ``-c`` content), and options anywhere on the line,
before or after the command and its arguments.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from . import __version__

DESCRIPTION = """\
sitegen builds a bilingual (中文/English) 普法 public-information site from YAML and Markdown.

commands:
  build    validate content/ and build the site into output/
  check    validate content/, build the site and check it; report every problem (file:line:col)
  serve    preview locally with live reload
  diff     report what a change does to the site (for pull requests)
  new      create a year, event or news file from a template
  init     start a new office's site in an empty folder
  schema   write JSON Schemas so editors (VS Code) validate while typing
  import   read an event or training list kept in Excel or WPS into a year file
  export   write a summary as a 公文 Word document, or the statistics as Excel
"""

FORMATS = ("text", "github", "json", "gitlab")


def parser() -> argparse.ArgumentParser:
    """The whole command line; ``args.command`` names the command to run."""
    top = argparse.ArgumentParser(
        prog="sitegen", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    top.add_argument("--version", action="version", version=f"sitegen {__version__}")
    _common(top, top_level=True)
    sub = top.add_subparsers(dest="command", metavar="COMMAND")
    _build(sub.add_parser("build", help="build the site into output/"))
    _check(sub.add_parser("check", help="validate the content, build it into a temporary folder and check the site"))
    _serve(sub.add_parser("serve", help="preview locally with live reload"))
    _diff(sub.add_parser("diff", help="report what a change does to the site (Markdown, for pull requests)"))
    _new(sub.add_parser("new", help="create a year, event or news file from a template"))
    _init(sub.add_parser("init", help="start a new office's site in an empty folder (content, CI, editor settings)"))
    _schema(sub.add_parser("schema", help="write JSON Schemas for the content files"))
    _import(sub.add_parser("import", help="read an event or training list (Excel/WPS .xlsx) into a year file"))
    _export(sub.add_parser("export", help="write a summary as a 公文 DOCX or the statistics as XLSX"))
    for command in sub.choices.values():
        _common(command, top_level=False)  # -q/-v also after the command: `sitegen build -q`
    return top


def _common(p: argparse.ArgumentParser, *, top_level: bool) -> None:
    """``-q``/``-v``; after the command they must not reset what was given before it."""
    quiet = False if top_level else argparse.SUPPRESS
    verbose = 0 if top_level else argparse.SUPPRESS
    p.add_argument("-q", "--quiet", action="store_true", default=quiet, help="print only problems")
    p.add_argument("-v", "--verbose", action="count", default=verbose, help="print more (timings)")


def _build(p: argparse.ArgumentParser) -> None:
    _content(p)
    p.add_argument("-o", "--output", type=Path, default=Path("output"), help="output folder (default: output)")
    _templates(p)
    p.add_argument(
        "-b", "--base-url", type=base_url, help="published address, e.g. https://www.example.gov.cn/pufa/ "
        "(default: base_url in site.yaml)"
    )  # fmt: skip
    _today(p)
    _unpublished(p)
    p.add_argument(
        "-j", "--jobs", type=positive, help="processes rendering the pages (default: SITEGEN_JOBS, else every CPU "
        "for a site of 200 pages or more; 1: one process)"
    )  # fmt: skip
    _no_cache(p)


def _check(p: argparse.ArgumentParser) -> None:
    _content(p)
    _templates(p)
    p.add_argument("--format", choices=FORMATS, default="text", help="output format (gitlab: Code Quality JSON)")
    p.add_argument("--strict", action="store_true", help="treat warnings and missing translations as errors")
    p.add_argument(
        "--publish", action="store_true", help="before publishing: placeholders (待填写, sample values) are errors"
    )
    p.add_argument("--determinism", action="store_true", help="build twice and compare every byte")
    _no_cache(p)
    _today(p, "the stale-news check, scheduled news and ")
    _unpublished(p)


def _serve(p: argparse.ArgumentParser) -> None:
    _content(p)
    _templates(p)
    p.add_argument("-p", "--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)")
    p.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1, this computer only); 0.0.0.0 shares the preview on your "
        "network, opened by this computer's name or address; other host names get 403",
    )
    p.add_argument("--open", action="store_true", help="open a browser")
    p.add_argument("-o", "--output", type=Path, help="also write each good build into this folder (default: none)")
    _no_cache(p)
    _today(p)
    _unpublished(p, preview=True)


def _diff(p: argparse.ArgumentParser) -> None:
    p.add_argument("base", help="git revision to compare with, e.g. origin/main")
    p.add_argument("head", nargs="?", help="git revision (default: the working tree)")
    _content(p)
    _templates(p)
    p.add_argument("-o", "--output", type=Path, help="write the report to this file (default: print it)")


def _new(p: argparse.ArgumentParser) -> None:
    _content(p)
    new = p.add_subparsers(dest="kind", metavar="KIND", required=True)
    q = new.add_parser("year", help="units/<unit>/<year>.yaml with commented examples")
    q.add_argument("unit", help="unit id (folder name under content/units)")
    q.add_argument("year", type=int)
    q = new.add_parser("event", help="add an event entry to a year file")
    q.add_argument("unit")
    q.add_argument("date", help="event date, e.g. 2025-12-04")
    q.add_argument("--observance", help="observance id, e.g. constitution-day")
    q = new.add_parser("news", help="news/<id>.zh.md (and .en.md) with front matter")
    q.add_argument("slug", help="short English id, e.g. constitution-week-2025")
    q.add_argument("--date", help="publication date and time (default: today)")
    q.add_argument("--unit", help="unit id")
    q = new.add_parser("unit", help="units/<unit>/unit.yaml")
    q.add_argument("unit")
    for kind in new.choices.values():  # `new year demo 2026 -c site/content` as well as `new -c … year …`
        kind.add_argument("-c", "--content", type=Path, default=argparse.SUPPRESS, help="content folder")
        _common(kind, top_level=False)


def _init(p: argparse.ArgumentParser) -> None:
    from .content.init import add_arguments

    add_arguments(p)


def _schema(p: argparse.ArgumentParser) -> None:
    _content(p)
    p.add_argument("-o", "--output", type=Path, default=Path("schemas"), help="folder (default: schemas)")


def _import(p: argparse.ArgumentParser) -> None:
    """``import xlsx FILE --unit UNIT --year YEAR``: see :mod:`sitegen.office.importcmd`."""
    _content(p)
    formats = p.add_subparsers(dest="file_format", metavar="FORMAT", required=True)
    q = formats.add_parser("xlsx", help="an Excel or WPS workbook (.xlsx) with a list of events or trainings")
    q.add_argument("file", help="the workbook, e.g. 2023活动.xlsx")
    q.add_argument("--unit", required=True, help="unit id (folder name under content/units), which must exist")
    q.add_argument("--year", required=True, type=int, help="the year of the list; every date must be in it")
    q.add_argument("--sheet", help="read this sheet only (default: the sheets named like 宣传活动 or 学法培训)")
    q.add_argument("--kind", choices=("events", "trainings"), help="what the sheet lists (default: from its name)")
    q.add_argument("--mapping", type=Path, help="YAML file naming the field of headers sitegen does not know")
    how = q.add_mutually_exclusive_group()
    how.add_argument("--replace", action="store_true", help="replace the lists of an existing year file")
    how.add_argument("--merge", action="store_true", help="add the entries an existing year file lacks, by date+title")
    q.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
    q.add_argument("-c", "--content", type=Path, default=argparse.SUPPRESS, help="content folder")
    _today(q)
    _common(q, top_level=False)


def _export(p: argparse.ArgumentParser) -> None:
    """``export docx UNIT PERIOD|YEAR`` / ``export xlsx [UNIT] [PERIOD]``: see :mod:`sitegen.office.exportcmd`."""
    from .office.exportcmd import add_arguments

    _content(p)
    add_arguments(p)


def _content(p: argparse.ArgumentParser) -> None:
    p.add_argument("-c", "--content", type=Path, default=Path("content"), help="content folder (default: content)")


def _templates(p: argparse.ArgumentParser) -> None:
    from .site.theme import default_templates

    help_text = "templates folder overriding the theme file by file (default: templates/ if it has any)"
    p.add_argument("--templates", type=Path, default=default_templates(), help=help_text)


def _today(p: argparse.ArgumentParser, also: str = "") -> None:
    help_text = f"date for {also}the periods' status where periods.yaml gives none, YYYY-MM-DD (default: today)"
    p.add_argument("--today", type=iso_date, help=help_text)


def _unpublished(p: argparse.ArgumentParser, *, preview: bool = False) -> None:
    """``--drafts`` and ``--future``: news items marked ``draft: true`` or dated after ``--today``.

    ``build`` and ``check`` leave them out unless asked; ``serve`` shows them, marked, unless ``--no-drafts`` /
    ``--no-future``.
    """
    if preview:
        flag: dict = {"action": argparse.BooleanOptionalAction, "default": True}
        drafts, future = "show news items marked draft: true", "show news items dated after today"
        p.add_argument("--drafts", help=f"{drafts}, marked Draft (default: yes)", **flag)
        p.add_argument("--future", help=f"{future}, marked Scheduled (default: yes)", **flag)
        return
    p.add_argument("--drafts", action="store_true", help="include news items marked draft: true (default: left out)")
    p.add_argument("--future", action="store_true", help="include news items dated after today (default: left out)")


def _no_cache(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--no-cache", action="store_true", help="neither read nor add to the build cache (.sitegen-cache/build, or "
        "$SITEGEN_CACHE_DIR/build), which keeps parsed files, Markdown and charts between builds"
    )  # fmt: skip


def iso_date(text: str) -> date:
    """``--today``: a date as YYYY-MM-DD."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (expected YYYY-MM-DD)") from None


def positive(text: str) -> int:
    """``--jobs``: a whole number, 1 or more."""
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a positive whole number: {text!r}")
    return int(text)


def base_url(text: str) -> str:
    """``--base-url``: checked by the same rule as ``base_url`` in ``site.yaml``."""
    from .content.model import base_url as check
    from .content.values import messages

    try:
        return check(text)
    except ValueError as exc:  # PydanticCustomError is a ValueError
        zh, en = messages(exc)
        raise argparse.ArgumentTypeError(f"{en} / {zh}") from None
