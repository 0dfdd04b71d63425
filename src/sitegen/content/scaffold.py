"""``new``: start a content file from a commented template that passes ``check`` once filled.

Templates leave required values empty on purpose, so that ``check`` points at exactly
what is left to fill in, with the file and line.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime
from pathlib import Path

from pydantic_core import PydanticCustomError

from ..errors import ContentErrors
from ..site.theme import command
from .values import check_slug, messages, parse_date
from .yamlsource import SourceText, parse_yaml, read_source

UNIT_TEMPLATE = """\
# 单位信息 / Unit details
# 英文可以暂缺，以后再补 / English may be left out and added later.
name:
  zh:        # 单位全称，例如：中共武汉市新洲区委办公室 / full name in Chinese
  en:        # full name in English
short_name:
  zh:        # 简称（可选） / short name (optional)
  en:
parent:      # 上级机关（可选） / parent organ (optional)
order: 100   # 排序，小的在前 / sort order, smaller first
"""

YEAR_TEMPLATE = """\
# {unit} 单位 {year} 年度普法工作数据 / Law-popularization activity of {unit} in {year}
# 数字可以写 1200、12,000、1.2万、1000余（一千多）、96以上（至少）、约300（大约）
# Numbers: 1200, 12,000, 1.2万, 1000余 (more than), 96以上 (at least), 约300 (about)
# 日期写成 {year}-12-04 / Dates as {year}-12-04
# 用 “{command} new event {unit} {year}-12-04” 添加活动 / add events with “new event”

# published: {next_year}-01-15 10:00   # 发布时间：发布本页时填写 / when the page is published (fill in then)

events: []   # 宣传活动 / publicity events

trainings: []   # 学法培训（中心组学法、讲座、培训、考试）/ study and training

funding:        # 普法经费 / funding
  budgeted: true   # 是否纳入预算 / included in the budget
  budget:          # 预算金额（元），例如 5万 / budgeted amount in yuan
  items: []        # 支出项目：- title: 普法资料征订  amount: 6000

figures: {{}}   # 其他数字，如 banners（横幅条数）、blackboard_issues（板报期数）/ other figures
"""

EVENT_TEMPLATE = """\
{indent}- date: {date}
{indent}  title:
{indent}    zh:            # 活动标题（必填） / title in Chinese (required)
{indent}    en:            # 英文标题，可暂缺 / English title, may be left out for now
{indent}  observance: {observance}   # 纪念日编号，见 observances.yaml / observance id
{indent}  kind:            # 活动形式编号，见 observances.yaml，如 lecture / event kind id
{indent}  audience: [public]   # 对象：public 社会公众, functionaries 国家工作人员, youth 青少年
{indent}  participants:    # 参加人次，如 300、1000余 / people reached
{indent}  materials:       # 发放资料份数（可选） / materials handed out (optional)
"""

NEWS_ZH_TEMPLATE = """\
---
title:            # 新闻标题（必填） / headline in Chinese (required)
date: {date}      # 发布时间 / publication date and time
source:           # 来源，例如：新洲区委办公室 / source (来源)
{unit}summary:          # 摘要（可选） / summary (optional)
---

正文写在这里，使用 Markdown 格式。
"""


FIRST_YEAR, LAST_YEAR = 1986, 2100


def run(args: argparse.Namespace) -> int:
    """Dispatch ``new year|event|news|unit``; returns the exit code."""
    content: Path = args.content
    try:
        if args.kind == "unit":
            return _write(content / "units" / _slug(args.unit) / "unit.yaml", UNIT_TEMPLATE)
        if args.kind == "year":
            path = content / "units" / _slug(args.unit) / f"{_year(args.year)}.yaml"
            return _write(
                path, YEAR_TEMPLATE.format(unit=args.unit, year=args.year, next_year=args.year + 1, command=command())
            )
        if args.kind == "event":
            return _add_event(content, _slug(args.unit), args.date, args.observance)
        if args.kind == "news":
            return _news(content, _slug(args.slug), args.date, args.unit)
    except ContentErrors:
        raise
    except ValueError as exc:  # a bad argument: usage error
        print(f"sitegen new: {exc}", file=sys.stderr)
        return 2
    return 2


def _year(value: int) -> int:
    """A plausible report year (普法 plans began in 1986), else a usage error."""
    if not FIRST_YEAR <= value <= LAST_YEAR:
        raise ValueError(
            f"{value} 不是有效的年份（应为 {FIRST_YEAR}–{LAST_YEAR} 之间的四位数）。 / "
            f"{value} is not a valid year (a four-digit year from {FIRST_YEAR} to {LAST_YEAR})."
        )
    return value


def _slug(value: str) -> str:
    try:
        return check_slug(value)
    except PydanticCustomError as exc:
        raise ValueError(messages(exc)[1]) from None


def _write(path: Path, text: str) -> int:
    """Create ``path`` with ``text``; never overwrite, never write through a link."""
    if os.path.lexists(path):
        print(
            f"sitegen new: {path.as_posix()} already exists; not overwritten. / 文件已存在，未覆盖。",
            file=sys.stderr,
        )
        return 2
    path.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    with os.fdopen(os.open(path, flags, 0o644), "wb") as f:
        f.write(text.encode("utf-8"))
    print(f"created {path.as_posix()} — fill it in, then run: {command()} check")
    return 0


def _add_event(content: Path, unit: str, when: str, observance: str | None) -> int:
    try:
        day = parse_date(when)
    except PydanticCustomError as exc:
        raise ValueError(messages(exc)[1]) from None
    path = content / "units" / unit / f"{day.year}.yaml"
    if not path.exists():
        _write(path, YEAR_TEMPLATE.format(unit=unit, year=day.year, next_year=day.year + 1, command=command()))
    text = read_source(path, content).text  # only a regular file inside content/, bounded
    new_text = insert_event(text, day.isoformat(), observance or "")
    parse_yaml(SourceText(path, new_text))  # never leave a file that does not parse
    path.write_text(new_text, encoding="utf-8", newline="\n")
    print(f"added an event on {day.isoformat()} to {path.as_posix()} — fill it in, then run: {command()} check")
    return 0


def insert_event(text: str, day: str, observance: str) -> str:
    """Insert an event template at the top of the ``events:`` list of a year file."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if line.startswith("events:"):
            indent = _item_indent(lines[index + 1 :])
            block = EVENT_TEMPLATE.format(indent=indent, date=day, observance=observance).rstrip("\n")
            lines[index] = "events:" + (line[len("events:") :].split("[]", 1)[1] if "[]" in line else line[7:])
            return "\n".join([*lines[: index + 1], block, *lines[index + 1 :]])
    block = EVENT_TEMPLATE.format(indent="  ", date=day, observance=observance)
    return text.rstrip("\n") + "\n\nevents:\n" + block


def _item_indent(rest: list[str]) -> str:
    for line in rest:
        stripped = line.lstrip(" ")
        if stripped.startswith("- "):
            return line[: len(line) - len(stripped)]
        if stripped and not stripped.startswith("#"):
            break
    return "  "


def _news(content: Path, slug: str, when: str | None, unit: str | None) -> int:
    stamp = when or datetime.now().strftime("%Y-%m-%d %H:%M")
    unit_line = f"unit: {unit}\n" if unit else ""
    code = _write(content / "news" / f"{slug}.zh.md", NEWS_ZH_TEMPLATE.format(date=stamp, unit=unit_line))
    if code == 0:
        print(f"English: add news/{slug}.en.md with a 'title:' front matter when translated. / 英文稿可稍后添加。")
    return code
