"""Cells read deliberately: what Excel or WPS stored, turned into the text an editor would write in YAML.

Dates come as date cells, as serial numbers (45000 is 2023-03-15), or as text (2021.5.19, 2021年5月19日,
2021/5/19, and 5月19日 in the year being imported); figures as numbers or as text with their qualifier
(1.2万, 300余, 约3000), which the content model then reads exactly as in a YAML file. What cannot be
meant is refused with the reason: a formula, an error value (#N/A), a date where a number belongs
(Excel turns a typed 1.2 into 1 February), a bare number in a date column (2021.12 lacks the day),
a date outside the year. Each function raises the editors' error (:func:`~sitegen.content.bilingual.problem`).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from ..content.bilingual import problem, reject_fullwidth
from ..content.values import DATE_HELP_EN, DATE_HELP_ZH, make_date, parse_datetime
from .workbook import unescape_text

SERIALS = (20_000, 2_958_465)
"""Excel serial numbers taken for dates: 1954-10-03 to 9999-12-31."""
_WEEKDAY = re.compile(r"[(（]?(?:星期|周|礼拜)[一二三四五六日天][)）]?$")
_MONTH_DAY = re.compile(r"^([0-9]{1,2})(?:月|[.\-/])([0-9]{1,2})[日号]?$")
_SPAN = re.compile(
    r"[至到~～—–]"  # 5月19日至21日
    r"|^\d{4}[年.\-/]\d{1,2}[月.\-/]\d{1,2}[日号]?-\d"  # 2023.5.19-5.21, 2023年5月19日-21日
    r"|^\d{1,2}[月.]\d{1,2}[日号]?-\d"  # 5月19日-21日
)
_LIST = re.compile(r"[、，,；;/\n]+")


def check_plain(cell: Any) -> Any:
    """The value of ``cell``, refusing formulas and error values."""
    value = cell.value
    if cell.data_type == "f" or isinstance(value, ArrayFormula | DataTableFormula):
        formula = value.text if isinstance(value, ArrayFormula) else value
        raise problem(
            f"这个单元格是公式（{formula}），导入只读取填写的内容。请复制这一列，用“选择性粘贴 → 数值”粘贴回原处。",
            f"This cell holds a formula ({formula}); only values are imported. Copy the column and use "
            '"Paste Special → Values" to paste it back.',
        )
    if cell.data_type == "e":
        raise problem(
            f"这个单元格显示错误值 {value}，请改为要填写的内容。",
            f"This cell shows the error value {value}; type the value it should hold.",
        )
    return value


def text_of(cell: Any) -> str:
    """A cell as text: lines joined, spaces trimmed, the export's apostrophe before = + - @ removed."""
    value = check_plain(cell)
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ", "minutes")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return number_text(value)
    lines = [line.strip() for line in unescape_text(str(value).strip()).splitlines() if line.strip()]
    out = lines[0] if lines else ""
    for line in lines[1:]:
        out += ("" if _wide(out[-1]) and _wide(line[0]) else " ") + line
    return out


def items_of(text: str) -> list[str]:
    """The items of a list written in one cell: 新洲发布、新洲问津网 (also with ，, ； or line breaks)."""
    return [part.strip() for part in _LIST.split(text) if part.strip()]


def number_text(value: int | float | Decimal, percent: bool = False) -> str:
    """A number as an editor writes it: 120, 96.9 (never 96.90000000000001 or 1e-05)."""
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if percent:
        exact *= 100
    text = format(exact.normalize(), "f")
    return text[:-2] if text.endswith(".0") else text


def figure_of(cell: Any, *, percent: bool = False) -> str:
    """A figure's cell as YAML text: numbers as numbers (a percentage-formatted 0.969 is 96.9), text as written."""
    value = check_plain(cell)
    if isinstance(value, bool):
        raise problem(
            f"这里应是数字，单元格里却是逻辑值 {'TRUE' if value else 'FALSE'}。",
            f"A number belongs here, but the cell holds the truth value {'TRUE' if value else 'FALSE'}.",
        )
    if isinstance(value, date | time):
        shown = value.date() if isinstance(value, datetime) else value
        raise problem(
            f"这里应是数字，单元格却是日期或时间（{shown}）：Excel 常把输入的“1.2”“3-5”自动变成日期。"
            "请把单元格格式设为“常规”或“数值”，再重新输入。",
            f"A number belongs here, but the cell holds a date or time ({shown}): Excel turns input such as "
            '"1.2" or "3-5" into dates. Set the cell format to "General" or "Number" and type it again.',
        )
    if isinstance(value, int | float):
        return number_text(value, percent=percent and "%" in (cell.number_format or ""))
    return text_of(cell)


def date_of(cell: Any, year: int, epoch: datetime) -> date:
    """A date cell, an Excel serial number or a written date, which must fall in ``year``."""
    value = check_plain(cell)
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        day = _serial(value, year, epoch)
    elif isinstance(value, str):
        day = _written(unescape_text(value.strip()), year)
    else:
        raise problem(f"“{value}”不是日期。{DATE_HELP_ZH}", f'"{value}" is not a date. {DATE_HELP_EN}')
    if day.year != year:
        raise problem(
            f"日期 {day} 不在 {year} 年内（导入的是 {year} 年的数据）。请检查日期，或导入到 {day.year} 年。",
            f"The date {day} is not in {year}, the year being imported. Check the date, or import it into {day.year}.",
        )
    return day


def _serial(value: float, year: int, epoch: datetime) -> date:
    if SERIALS[0] <= value <= SERIALS[1]:
        return from_excel(value, epoch).date()
    shown = number_text(value)
    if float(value).is_integer() and 1900 <= value <= 2100:
        raise problem(
            f"日期只写了年份“{shown}”，缺少月和日。{DATE_HELP_ZH}",
            f'The date gives only the year "{shown}", without month and day. {DATE_HELP_EN}',
        )
    raise problem(
        f"日期列里是数字“{shown}”，不是日期：Excel 把“2021.12”“5.19”这样的输入当成了数字。"
        f"请写完整的日期，例如 {year}-05-19。",
        f'The date column holds the number "{shown}", not a date: Excel reads input such as "2021.12" or "5.19" '
        f"as a number. Write the whole date, e.g. {year}-05-19.",
    )


def _written(text: str, year: int) -> date:
    clean = _WEEKDAY.sub("", text).strip()
    compact = re.sub(r"\s+", "", clean)
    reject_fullwidth(compact)
    if m := _MONTH_DAY.match(compact):
        return _month_day(int(m[1]), int(m[2]), year, text)
    try:
        return parse_datetime(clean)[0]
    except ValueError:  # the editors' error (PydanticCustomError): a span is explained, the rest is as it is
        if _SPAN.search(compact):
            raise problem(
                f"“{text}”是一段时间，这里只写开始的那一天，例如 {year}-05-19；结束日期可以写进备注。",
                f'"{text}" is a span of days; give the first day only, e.g. {year}-05-19 (the last day can go '
                "into the remarks).",
            ) from None
        raise


def _month_day(month: int, day: int, year: int, text: str) -> date:
    return make_date(year, month, day, text)  # the same rules and words as dates typed in YAML


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")
