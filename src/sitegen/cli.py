"""The command line: ``python build.py <command>`` or ``sitegen <command>``.

Exit codes: 0 success, 1 content problems or a fault, 2 wrong usage. Every
:class:`~sitegen.errors.SitegenError` is caught once, in :func:`main`: located problems are printed
as ``file:line:col: error: …``, any other as ``sitegen <command>: 中文`` then the English; never a
Python traceback (real bugs still show theirs).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import textwrap
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from . import cliargs
from .console import wants_colour, wants_progress
from .errors import (
    EXIT_CONTENT,
    EXIT_USAGE,
    ContentError,
    ContentErrors,
    SitegenError,
    format_github,
    format_gitlab,
    format_json,
    format_text,
)

EXIT_OK = 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = cliargs.parser()
    args = parser.parse_args(argv)
    _utf8_console()
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return COMMANDS[args.command](args)
    except SitegenError as exc:  # content problems, a refused folder, a fault, wrong usage: in words
        fmt = getattr(args, "format", "text") if exc.exit_code == EXIT_CONTENT else "text"
        return report_error(exc, args.command, fmt)
    except OSError as exc:  # disk full, read-only, permission denied ...: words, not a traceback
        from .site.outputguard import fault

        return report_error(fault(exc, Path(exc.filename or "."), kept=False), args.command, "text")
    except KeyboardInterrupt:
        return 130


def report_error(exc: SitegenError, command: str, fmt: str = "text") -> int:
    """Print ``exc`` as an editor should see it; its exit code.

    Located problems as ``check`` prints them (in ``fmt``); any other error as ``sitegen <command>: 中文``
    and the English below it, indented.
    """
    if isinstance(exc, ContentErrors):
        _print_problems(exc.sorted(), fmt)
    else:
        print(f"sitegen {command}: {exc.zh}\n{textwrap.indent(exc.en, '    ')}", file=sys.stderr)
    return exc.exit_code


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
    colour = wants_colour(sys.stdout)
    for problem in problems:
        text = format_github(problem) if fmt == "github" else format_text(problem, colour=colour) + "\n"
        print(text, file=sys.stdout)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if fmt == "text":
        print(f"{errors} 个错误，{warnings} 个警告 / {errors} error(s), {warnings} warning(s)", file=sys.stderr)


def _load(args: argparse.Namespace, cache=None):  # -> Content; cache: BuildCache | None
    from .content.loader import load_content
    from .site.buildcache import session

    with session(cache):
        return load_content(args.content, today=args.today, parsed=cache)


def _cache(args: argparse.Namespace):  # -> BuildCache | None
    """The build cache (:mod:`sitegen.site.buildcache`), or None with ``--no-cache``."""
    from .site.buildcache import BuildCache

    return None if getattr(args, "no_cache", False) else BuildCache()


def _cmd_check(args: argparse.Namespace) -> int:
    from .content import drafts
    from .content.translations import coverage
    from .review import sitecheck
    from .review.memorybuild import build_files
    from .site.buildcache import session

    # Content problems first: a site that does not load is not built. Loaded once, built in memory.
    today = args.today = args.today or date.today()  # one date for the load, the checks and a second build
    cache = _cache(args)
    loaded = _load(args, cache)
    # The site as build makes it: drafts and items dated later left out (unless --drafts/--future), and listed.
    content, badges = drafts.select(loaded, today, drafts.Unpublished(args.drafts, args.future))
    report = coverage(content)
    with session(cache):  # Markdown and charts from the cache
        files = build_files(content, args.templates, badges)
    problems = [*content.warnings, *drafts.listing(loaded, today)]
    if args.publish:
        from .content.placeholders import for_publishing

        problems = for_publishing(content, problems)
    problems += sitecheck.check_site(content, files, today=today, translations=report if args.strict else None)
    if args.determinism:  # the second build runs in another process: it writes, and is read back
        with tempfile.TemporaryDirectory(prefix="sitegen-check-") as tmp:
            problems += _second_build(args, files, Path(tmp) / "again")
    problems.sort(key=ContentError.sort_key)
    if problems or args.format == "gitlab":  # GitLab wants a report, even an empty one
        _print_problems(problems, args.format)
    if args.format != "json" and not args.quiet:
        _print_translation_report(report)
    errors = any(p.severity == "error" for p in problems)
    if errors or (args.strict and problems):
        return EXIT_CONTENT
    if args.format == "text" and not args.quiet:
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
    from .errors import make_error
    from .review import sitecheck

    shown = [flag for flag, on in (("--drafts", args.drafts), ("--future", args.future)) if on]
    shown.append("--no-cache")  # a cold build: compared with this one, it also checks what the cache gave
    again, log = sitecheck.rebuild_elsewhere(args.content, args.templates, output, args.today, shown)
    if again is None:
        tail = " ".join(log.strip().splitlines()[-3:])
        zh = f"第二次构建（另一个进程、时区和区域设置）失败：{tail}"
        en = f"The second build (another process, time zone and locale) failed: {tail}"
        return [make_error(args.content, 0, 0, zh, en)]
    return sitecheck.compare_builds(files, again)


def _cmd_build(args: argparse.Namespace) -> int:
    from .content.drafts import Unpublished
    from .site.outputguard import check_output
    from .site.pipeline import build

    check_output(args.output, content=args.content, templates=args.templates)  # before the work
    progress = wants_progress() and not args.quiet
    result = build(
        args.content,
        args.output,
        templates=args.templates,
        base_url=args.base_url,
        progress=progress,
        today=args.today,
        jobs=args.jobs,
        unpublished=Unpublished(args.drafts, args.future),
        cache=(cache := _cache(args)),
    )
    if result.stats is not None and result.stats.note:
        print(result.stats.note, file=sys.stderr)
    colour = wants_colour(sys.stderr)
    for warning in result.warnings:
        print(format_text(warning, colour=colour) + "\n", file=sys.stderr)
    if args.quiet:
        return EXIT_OK
    if result.translation is not None:
        _print_translation_report(result.translation)
    print(result.summary(), file=sys.stderr)
    if result.left_out:
        count, names = len(result.left_out), ", ".join(result.left_out)
        print(
            f"未发布的动态（草稿或日期晚于今天）{count} 条未构建：{names}（--drafts、--future 可包含它们）\n"
            f"    {count} unpublished news item(s) (drafts or dated later) left out: {names} (--drafts, --future)",
            file=sys.stderr,
        )
    if args.verbose:
        print("  " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in result.timings), file=sys.stderr)
        if cache is not None:
            print(f"  cache {cache.folder}: {cache.counts.summary()}", file=sys.stderr)
    return EXIT_OK


def _print_translation_report(report) -> None:  # report: translations.Coverage
    from collections import Counter

    print(report.summary(), file=sys.stderr)
    per_file = Counter(m.path for m in report.missing)
    for path, count in sorted(per_file.items()):
        print(f"  {path}: {count}", file=sys.stderr)


def _cmd_new(args: argparse.Namespace) -> int:
    from .content import scaffold

    return scaffold.run(args)


def _cmd_init(args: argparse.Namespace) -> int:
    from .content.init import run

    return run(args)


def _cmd_diff(args: argparse.Namespace) -> int:
    from .review.diffreport import render
    from .review.gitdiff import diff
    from .site.outputguard import check_report_file

    if args.output:
        check_report_file(args.output, content=args.content, templates=args.templates)
    result = diff(args.base, args.head, content=args.content, templates=args.templates)  # UsageError: exit 2
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
    from .content.loader import period_ids
    from .content.schema import SCHEMAS, write_schemas
    from .site.outputguard import check_schema_folder

    names = [f"{name}.schema.json" for name in SCHEMAS]
    check_schema_folder(args.output, names, content=args.content)
    for path in write_schemas(args.output, period_ids(args.content)):
        print(path.as_posix())
    return EXIT_OK


def _cmd_serve(args: argparse.Namespace) -> int:
    from .content.drafts import Unpublished
    from .preview.devserver import Options, serve
    from .site.outputguard import check_output

    if args.output is not None:
        check_output(args.output, content=args.content, templates=args.templates)
    shown = Unpublished(args.drafts, args.future)
    options = Options(
        args.content,
        args.templates,
        args.host,
        args.port,
        args.open,
        args.output,
        today=args.today,
        unpublished=shown,
        cache=_cache(args),
    )
    return serve(options)  # CannotListen


def _cmd_import(args: argparse.Namespace) -> int:
    from .office.importcmd import run

    return run(args)


def _cmd_export(args: argparse.Namespace) -> int:
    from .office.exportcmd import run

    return run(args)


COMMANDS = {
    "build": _cmd_build,
    "check": _cmd_check,
    "serve": _cmd_serve,
    "diff": _cmd_diff,
    "new": _cmd_new,
    "init": _cmd_init,
    "schema": _cmd_schema,
    "import": _cmd_import,
    "export": _cmd_export,
}
"""Each command and the function that runs it (its options are in :mod:`sitegen.cliargs`)."""


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
