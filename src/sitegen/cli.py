"""The command line: ``python build.py <command>`` or ``sitegen <command>``.

Exit codes: 0 success, 1 content problems, 2 wrong usage. Content problems are printed as
``file:line:col: error: …`` without a Python traceback; real bugs still show theirs.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from .errors import ContentError, ContentErrors, format_github, format_gitlab, format_json, format_text
from .outputguard import UnsafeOutput
from .vendor import VendorError

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2

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
"""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    _utf8_console()
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.run(args)
    except UnsafeOutput as exc:  # a folder or file that must not be written: nothing was touched
        _print_problems(exc.sorted(), "text")
        return EXIT_USAGE
    except ContentErrors as exc:
        _print_problems(exc.sorted(), getattr(args, "format", "text"))
        return EXIT_CONTENT
    except VendorError as exc:  # ECharts could not be obtained: say how to get it, no traceback
        print(f"sitegen: {exc}", file=sys.stderr)
        return EXIT_CONTENT
    except OSError as exc:  # disk full, read-only, permission denied ...: words, not a traceback
        from .outputguard import fault

        _print_problems(fault(exc, Path(exc.filename or "."), kept=False).sorted(), "text")
        return EXIT_CONTENT
    except KeyboardInterrupt:
        return 130


def _utf8_console() -> None:
    """Chinese messages must print on a Windows console (GBK code page) too."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and (stream.encoding or "").lower().replace("-", "") != "utf8":
            reconfigure(errors="backslashreplace")


def _print_problems(problems: Sequence[ContentError], fmt: str) -> None:
    if fmt == "json":
        print(format_json(problems))
        return
    if fmt == "gitlab":  # the report on stdout (redirect it to a file), the problems for the job log on stderr
        print(format_gitlab(problems))
        for problem in problems:
            print(format_text(problem) + "\n", file=sys.stderr)
        return
    for problem in problems:
        print(format_github(problem) if fmt == "github" else format_text(problem) + "\n", file=sys.stdout)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if fmt == "text":
        print(f"{errors} 个错误，{warnings} 个警告 / {errors} error(s), {warnings} warning(s)", file=sys.stderr)


def _content_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--content", type=Path, default=Path("content"), help="content folder (default: content)")


def _templates_arg(p: argparse.ArgumentParser) -> None:
    from .theme import default_templates

    help_text = "templates folder (default: templates/ when it holds templates, else the bundled theme)"
    p.add_argument("--templates", type=Path, default=default_templates(), help=help_text)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (expected YYYY-MM-DD)") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sitegen", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("build", help="build the site into output/")
    _content_arg(p)
    p.add_argument("--output", type=Path, default=Path("output"), help="output folder (default: output)")
    _templates_arg(p)
    p.add_argument("--base-url", help="published address, e.g. https://www.example.gov.cn/pufa/ (default: site.yaml)")
    p.set_defaults(run=_cmd_build)

    p = sub.add_parser("check", help="validate the content, build it into a temporary folder and check the site")
    _content_arg(p)
    _templates_arg(p)
    p.add_argument(
        "--format",
        choices=("text", "github", "json", "gitlab"),
        default="text",
        help="output format (gitlab: a Code Quality report on stdout)",
    )
    p.add_argument("--strict", action="store_true", help="treat warnings and missing translations as errors")
    p.add_argument(
        "--publish", action="store_true", help="before publishing: placeholders (待填写, sample values) are errors"
    )
    p.add_argument("--determinism", action="store_true", help="build twice and compare every byte")
    p.add_argument(
        "--today", type=_iso_date, default=None, help="date for the stale-news check, YYYY-MM-DD (default: today)"
    )
    p.set_defaults(run=_cmd_check)

    p = sub.add_parser("serve", help="preview locally with live reload")
    _content_arg(p)
    _templates_arg(p)
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)")
    p.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1, this computer only); 0.0.0.0 shares the preview on your "
        "network, opened by this computer's name or address; other host names get 403",
    )
    p.add_argument("--open", action="store_true", help="open a browser")
    p.add_argument("--output", type=Path, help="also write each good build into this folder (default: none)")
    p.set_defaults(run=_cmd_serve)

    p = sub.add_parser("diff", help="report what a change does to the site (Markdown, for pull requests)")
    p.add_argument("base", help="git revision to compare with, e.g. origin/main")
    p.add_argument("head", nargs="?", help="git revision (default: the working tree)")
    _content_arg(p)
    _templates_arg(p)
    p.add_argument("--output", type=Path, help="write the report to this file (default: print it)")
    p.set_defaults(run=_cmd_diff)

    p = sub.add_parser("new", help="create a year, event or news file from a template")
    _content_arg(p)
    new = p.add_subparsers(dest="kind", metavar="KIND", required=True)
    q = new.add_parser("year", help="units/<unit>/<year>.yaml with commented examples")
    q.add_argument("unit", help="unit id (folder name under content/units)")
    q.add_argument("year", type=int)
    q = new.add_parser("event", help="print an event entry to paste into a year file, or append it")
    q.add_argument("unit")
    q.add_argument("date", help="event date, e.g. 2025-12-04")
    q.add_argument("--observance", help="observance id, e.g. constitution-day")
    q = new.add_parser("news", help="news/<id>.zh.md (and .en.md) with front matter")
    q.add_argument("slug", help="short English id, e.g. constitution-week-2025")
    q.add_argument("--date", help="publication date and time (default: today)")
    q.add_argument("--unit", help="unit id")
    q = new.add_parser("unit", help="units/<unit>/unit.yaml")
    q.add_argument("unit")
    p.set_defaults(run=_cmd_new)

    p = sub.add_parser("init", help="start a new office's site in an empty folder (content, CI, editor settings)")
    _init_args(p)
    p.set_defaults(run=_cmd_init)

    p = sub.add_parser("schema", help="write JSON Schemas for the content files")
    _content_arg(p)
    p.add_argument("--output", type=Path, default=Path("schemas"), help="folder (default: schemas)")
    p.set_defaults(run=_cmd_schema)
    return parser


def _load(args: argparse.Namespace):  # -> Content
    from .loader import load_content

    return load_content(args.content)


def _cmd_check(args: argparse.Namespace) -> int:
    from . import sitecheck
    from .pipeline import build
    from .translations import coverage

    # Content problems first: a site that does not load is not built.
    content = _load(args)
    report = coverage(content)
    with tempfile.TemporaryDirectory(prefix="sitegen-check-") as tmp:
        output = Path(tmp) / "site"
        build(args.content, output, templates=args.templates)
        files = sitecheck.read_tree(output)
        today = args.today or date.today()
        problems = [*content.warnings]
        if args.publish:
            from .placeholders import for_publishing

            problems = for_publishing(content, problems)
        problems += sitecheck.check_site(content, files, today=today, translations=report if args.strict else None)
        if args.determinism:
            problems += _second_build(args, files, Path(tmp) / "again")
    problems.sort(key=ContentError.sort_key)
    if problems or args.format == "gitlab":  # GitLab wants a report, even an empty one
        _print_problems(problems, args.format)
    if args.format != "json":
        _print_translation_report(report)
    errors = any(p.severity == "error" for p in problems)
    if errors or (args.strict and problems):
        return EXIT_CONTENT
    if args.format == "text":
        years = sum(len(u.years) for u in content.units)
        pages = sum(name.endswith(".html") for name in files)
        print(
            f"内容检查通过：{len(content.units)} 个单位，{years} 个年度，{len(content.news)} 条新闻；"
            f"网站检查通过：{pages} 个页面。\n"
            f"Content OK: {len(content.units)} units, {years} unit-years, {len(content.news)} news items; "
            f"site OK: {pages} pages checked.",
            file=sys.stderr,
        )
    return EXIT_OK


def _second_build(args: argparse.Namespace, files: dict[str, bytes], output: Path) -> list[ContentError]:
    """``check --determinism``: build again in another process and compare every byte."""
    from . import sitecheck
    from .errors import make_error

    again, log = sitecheck.rebuild_elsewhere(args.content, args.templates, output)
    if again is None:
        tail = " ".join(log.strip().splitlines()[-3:])
        zh = f"第二次构建（另一个进程、时区和区域设置）失败：{tail}"
        en = f"The second build (another process, time zone and locale) failed: {tail}"
        return [make_error(args.content, 0, 0, zh, en)]
    return sitecheck.compare_builds(files, again)


def _cmd_build(args: argparse.Namespace) -> int:
    from .outputguard import check_output
    from .pipeline import build

    check_output(args.output, content=args.content, templates=args.templates)  # before the work
    result = build(args.content, args.output, templates=args.templates, base_url=args.base_url)
    if result.stats is not None and result.stats.note:
        print(result.stats.note, file=sys.stderr)
    for warning in result.warnings:
        print(format_text(warning) + "\n", file=sys.stderr)
    if result.translation is not None:
        _print_translation_report(result.translation)
    print(result.summary(), file=sys.stderr)
    return EXIT_OK


def _print_translation_report(report) -> None:  # report: translations.Coverage
    from collections import Counter

    print(report.summary(), file=sys.stderr)
    per_file = Counter(m.path for m in report.missing)
    for path, count in sorted(per_file.items()):
        print(f"  {path}: {count}", file=sys.stderr)


def _cmd_new(args: argparse.Namespace) -> int:
    from . import scaffold

    return scaffold.run(args)


def _init_args(p: argparse.ArgumentParser) -> None:
    from .init import add_arguments

    add_arguments(p)


def _cmd_init(args: argparse.Namespace) -> int:
    from .init import run

    return run(args)


def _cmd_diff(args: argparse.Namespace) -> int:
    from .diffreport import render
    from .gitdiff import UsageError, diff
    from .outputguard import check_report_file

    if args.output:
        check_report_file(args.output, content=args.content, templates=args.templates)
    try:
        result = diff(args.base, args.head, content=args.content, templates=args.templates)
    except UsageError as exc:
        print(f"sitegen diff: {exc.zh}\n    {exc.en}", file=sys.stderr)
        return EXIT_USAGE
    report = render(result)
    if args.output:
        args.output.write_text(report, encoding="utf-8", newline="\n")
    else:
        sys.stdout.write(report)
    for side, zh, en in ((result.base, "修改前", "base"), (result.head, "修改后", "head")):
        if side.problem:
            print(f"sitegen diff: {zh} {en}: {side.problem}", file=sys.stderr)
    return EXIT_CONTENT if result.head.problem else EXIT_OK  # the change itself cannot be built


def _cmd_schema(args: argparse.Namespace) -> int:
    from .loader import period_ids
    from .outputguard import check_schema_folder
    from .schema import SCHEMAS, write_schemas

    names = [f"{name}.schema.json" for name in SCHEMAS]
    check_schema_folder(args.output, names, content=args.content)
    for path in write_schemas(args.output, period_ids(args.content)):
        print(path.as_posix())
    return EXIT_OK


def _cmd_serve(args: argparse.Namespace) -> int:
    from .devserver import CannotListen, Options, serve
    from .outputguard import check_output

    if args.output is not None:
        check_output(args.output, content=args.content, templates=args.templates)
    try:
        return serve(Options(args.content, args.templates, args.host, args.port, args.open, args.output))
    except CannotListen as exc:
        print(f"sitegen serve: {exc}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
