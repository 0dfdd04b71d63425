"""The Markdown report of ``diff``, for a pull request's description or a CI job summary.

Headings and labels are bilingual; values are shown as the content has them. Text from the
content is escaped, so a title cannot inject links, images or HTML into the report.

A side that could not be built is named, its problems are listed as ``check`` prints them, and
nothing it could not build is compared: the report never shows every figure as removed because
the head has a typo.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..content.indicators import BY_ID
from ..content.model import Content
from ..content.translations import Coverage
from ..content.values import Quantity
from ..errors import format_text
from ..site.i18n import LOCALES
from .itemdiff import ItemChange
from .sitediff import FigureChange, FileChanges, Side, SiteDiff, percent_change

NO_CHANGES = "**内容无变化 / No content changes.**"
MAX_LISTED = 40
"""Longest list of pages or untranslated texts shown; the rest are counted."""
MAX_PROBLEMS = 100
"""Most problems of a side shown; the rest are counted (a job summary holds at most 1 MiB)."""
SIDE_NAMES = {"base": "修改前 base", "head": "修改后 head"}

KIND_LABELS = {
    "added": "新增 added",
    "removed": "删除 removed",
    "changed": "修改 changed",
    "moved": "移动或重命名 moved/renamed",
    "renamed": "重命名 renamed",
}

_ESCAPE = re.compile(r"([\\`*_\[\]<>|~@])")


def md(text: str) -> str:
    """``text`` safe inside Markdown: one line, every Markdown character escaped."""
    return _ESCAPE.sub(r"\\\1", " ".join(str(text).split()))


def code(text: str) -> str:
    """``text`` as inline code (revision names, paths)."""
    return "`" + " ".join(str(text).replace("`", "'").split()) + "`"


def render(diff: SiteDiff) -> str:
    """The whole report."""
    lines = ["## 网站变更报告 / Site change report", ""]
    lines.append(f"{code(diff.base.label)} → {code(diff.head.label)}")
    lines.append("")
    for side, name in ((diff.base, SIDE_NAMES["base"]), (diff.head, SIDE_NAMES["head"])):
        if side.problem:
            lines += [f"> **{name}:** {md(side.problem)}", ""]
        if side.note:
            lines += [f"> {name}: {md(side.note)}", ""]
    if not diff.content_changed:
        lines += [NO_CHANGES, ""]
    lines += _problems(diff)
    lines += _sources(diff.sources)
    if diff.content_compared:
        lines += _figures(diff)
        for title, changes in (
            ("宣传活动 / Events", diff.events),
            ("学法培训 / Trainings", diff.trainings),
            ("普法动态 / News", diff.news),
        ):
            lines += _items(title, changes)
    else:
        lines += _not_compared(diff)
    lines += _translations(diff)
    lines += _pages(diff)
    return "\n".join(lines).rstrip() + "\n"


def _problems(diff: SiteDiff) -> list[str]:
    """Each failed side's problems, as ``check`` prints them, in a fenced block."""
    lines = []
    for side, key in ((diff.base, "base"), (diff.head, "head")):
        if not side.errors:
            continue
        errors = sum(e.severity == "error" for e in side.errors)
        lines += [f"### {SIDE_NAMES[key]} 的问题 / Problems in the {key} ({errors} error(s))", ""]
        text = "\n\n".join(format_text(e) for e in side.errors[:MAX_PROBLEMS])
        lines += fenced(text)
        lines += [*_more(len(side.errors), MAX_PROBLEMS), ""]
    return lines


def fenced(text: str) -> list[str]:
    """``text`` as a fenced code block that no line of it can close (CommonMark: a longer fence)."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence + "text", *text.splitlines(), fence]


def _not_compared(diff: SiteDiff) -> list[str]:
    """Why figures and items are not compared, and what can be said of the side that loaded."""
    failed = [k for k, s in (("base", diff.base), ("head", diff.head)) if not s.content_known]
    lines = [
        "### 数据与条目 / Figures and items",
        "",
        f"未比较：{'、'.join(SIDE_NAMES[k] for k in failed)} 的内容无法加载，数据、活动、培训和新闻不作比较。"
        f" / Not compared: the content of the {' and the '.join(failed)} could not be loaded, so no figures, "
        "events, trainings or news are compared.",
        "",
    ]
    for side, key in ((diff.base, "base"), (diff.head, "head")):
        if side.content is not None:
            lines += [f"- {SIDE_NAMES[key]}: {_state(side)}", ""]
    return lines


def _state(side: Side) -> str:
    """What a side that loaded holds: ``2 个单位，5 个年度，12 条新闻；264 个页面 / …``."""
    assert side.content is not None
    units = len(side.content.units)
    years = sum(len(u.years) for u in side.content.units)
    news = len(side.content.news)
    zh, en = f"{units} 个单位，{years} 个年度，{news} 条新闻", f"{units} units, {years} unit-years, {news} news items"
    if side.files is not None:
        pages = sum(name.endswith(".html") for name in side.files)
        zh, en = f"{zh}；构建了 {pages} 个页面", f"{en}; {pages} pages built"
    return f"{zh} / {en}"


def _unit_name(diff: SiteDiff, unit_id: str) -> str:
    for content in (diff.head.content, diff.base.content):
        unit = content.unit(unit_id) if content else None
        if unit is not None:
            return f"{unit.info.name.zh} ({unit_id})"
    return unit_id


def _period_name(diff: SiteDiff, when: str) -> str:
    contents: tuple[Content | None, ...] = (diff.head.content, diff.base.content)
    period = next((c.period(when) for c in contents if c and c.period(when)), None)
    return f"{period.name.zh} ({when}) 合计 total" if period else when


def value(q: Quantity | None) -> str:
    """A figure as the report shows it: ``1,200``, ``1,000+``, ``≥ 96``, ``—``."""
    return LOCALES["en"].quantity(q)


def _sources(files: FileChanges) -> list[str]:
    if not files:
        return []
    lines = ["### 内容文件 / Content files", ""]
    for kind in ("added", "removed", "changed"):
        lines += [f"- {KIND_LABELS[kind]}: {code(path)}" for path in getattr(files, kind)]
    lines += [f"- {KIND_LABELS['renamed']}: {code(old)} → {code(new)}" for old, new in files.renamed]
    return [*lines, ""]


def _figures(diff: SiteDiff) -> list[str]:
    if not diff.figures:
        return []
    lines = [
        "### 数据 / Figures",
        "",
        "| 单位 Unit | 年度 Year | 指标 Indicator | 修改前 Before | 修改后 After | 变化 Change |",
        "| --- | --- | --- | ---: | ---: | ---: |",
    ]
    lines += [_figure_row(diff, change) for change in diff.figures]
    return [*lines, ""]


def _figure_row(diff: SiteDiff, change: FigureChange) -> str:
    zh, en = BY_ID[change.indicator].zh, BY_ID[change.indicator].en
    when = change.when if change.when.isdigit() else _period_name(diff, change.when)
    cells = (
        _unit_name(diff, change.unit),
        when,
        f"{zh} {en}",
        value(change.old),
        value(change.new),
        percent_change(change.old, change.new),
    )
    return "| " + " | ".join(md(c) for c in cells) + " |"


def _items(title: str, changes: tuple[ItemChange, ...]) -> list[str]:
    if not changes:
        return []
    lines = [f"### {title}", ""]
    for change in changes:
        line = f"- {KIND_LABELS[change.kind]}: {md(change.date)} **{md(change.title)}** ({md(change.where)})"
        if change.details:
            line += ": " + "; ".join(md(d) for d in change.details)
        lines.append(line)
    return [*lines, ""]


def _coverage_cell(report: Coverage | None) -> str:
    if report is None:
        return "—"
    return f"{report.percent:.0f}% ({report.translated}/{report.total})"


def _translations(diff: SiteDiff) -> list[str]:
    before, after = diff.coverage
    lines = [
        "### 英文翻译覆盖率 / Translation coverage",
        "",
        "| | 修改前 Before | 修改后 After |",
        "| --- | ---: | ---: |",
        f"| 已翻译 translated | {_coverage_cell(before)} | {_coverage_cell(after)} |",
        f"| 缺英文 missing | {len(before.missing) if before else '—'} | {len(after.missing) if after else '—'} |",
        "",
    ]
    if diff.newly_untranslated:
        lines += ["新增的未翻译文本 / New texts without English:", ""]
        for missing in diff.newly_untranslated[:MAX_LISTED]:
            lines.append(f"- {code(missing.path)} {md(missing.field)}: {md(missing.zh[:60])}")
        lines += _more(len(diff.newly_untranslated))
        lines.append("")
    return lines


def _pages(diff: SiteDiff) -> list[str]:
    if diff.base.files is None or diff.head.files is None:
        failed = [k for k, s in (("base", diff.base), ("head", diff.head)) if s.files is None]
        return [
            "### 页面 / Pages",
            "",
            f"未比较：{'、'.join(SIDE_NAMES[k] for k in failed)} 未能构建，页面不作比较 / "
            f"Not compared: the {' and '.join(failed)} could not be built, so no pages are compared.",
            "",
        ]
    if not diff.pages and not diff.other_files:
        return ["### 页面 / Pages", "", "构建的网站没有变化 / The built site is unchanged.", ""]
    lines = ["### 页面 / Pages", ""]
    for kind in ("added", "removed", "changed"):
        pages: tuple[str, ...] = getattr(diff.pages, kind)
        if pages:
            lines += [f"{KIND_LABELS[kind]} ({len(pages)}):", ""]
            lines += [f"- {code(_route(p))}" for p in pages[:MAX_LISTED]]
            lines += [*_more(len(pages)), ""]
    lines += _other_files(diff.other_files)
    return lines


def _route(page: str) -> str:
    """``zh/news/x/index.html`` → ``zh/news/x/``: the address a visitor sees."""
    return page.removesuffix("index.html") or "/"


def _other_files(files: FileChanges) -> list[str]:
    if not files:
        return []
    counts = ", ".join(
        f"{KIND_LABELS[kind]} {len(getattr(files, kind))}"
        for kind in ("added", "removed", "changed")
        if getattr(files, kind)
    )
    return [
        f"其他文件（样式、脚本、图表数据、订阅）/ Other files (styles, scripts, chart data, feeds): {counts}",
        "",
    ]


def _more(count: int, shown: int = MAX_LISTED) -> Iterator[str]:
    if count > shown:
        yield f"- … 另有 {count - shown} 项 / and {count - shown} more"
