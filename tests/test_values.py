"""Numbers and dates as editors write them (sitegen.content.values), without YAML around them."""

from __future__ import annotations

from datetime import date, time

import pytest
from pydantic_core import PydanticCustomError

from sitegen.content.values import Quantity, parse_date, parse_datetime, parse_number


def message(exc: pytest.ExceptionInfo[PydanticCustomError]) -> str:
    ctx = exc.value.context or {}
    return ctx["zh"] + "\n" + ctx["en"]


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1200", (1200, "exact")),
        ("12,000", (12000, "exact")),
        ("1,234,567", (1234567, "exact")),
        ("12,000.5", (12000.5, "exact")),
        ("1.2万", (12000, "exact")),
        ("3亿", (300_000_000, "exact")),
        ("1.5万元", (15000, "exact")),
        ("1000余", (1000, "more_than")),
        ("1000多", (1000, "more_than")),
        ("1000多万", (10_000_000, "more_than")),
        ("超过500", (500, "more_than")),
        ("96以上", (96, "at_least")),
        ("不少于2", (2, "at_least")),
        ("约300", (300, "about")),
        ("300左右", (300, "about")),
        ("1200人次", (1200, "exact")),
        ("0.5", (0.5, "exact")),
        (" 12 000 ", (12000, "exact")),
    ],
)
def test_numbers_as_editors_write_them(text, expected):
    value, qualifier = parse_number(text)
    assert (value, qualifier) == expected
    assert type(value) is type(expected[0])  # 1.2万 is the integer 12000, not 12000.0


@pytest.mark.parametrize(
    ("text", "phrases"),
    [
        ("1,2", ["misplaced", "12,000", "12000"]),
        ("12,00", ["misplaced"]),
        ("abc", ["is not a number", "1.2万", "1000余"]),
        ("", ["is not a number"]),
        ("1e5", ["is not a number"]),
        ("-5", ["negative", "负数"]),
        ("负5", ["negative"]),
        ("１２", ["full-width", "Type them half-width: 12", "全角"]),
        ("12，000", ["full-width", "12,000"]),
        ("约1000余", ["two qualifiers", "限定词"]),
        ("20xx", ["is not a number"]),  # redaction is handled by Quantity, not here
    ],
)
def test_numbers_rejected_with_the_fix(text, phrases):
    with pytest.raises(PydanticCustomError) as exc:
        parse_number(text)
    for phrase in phrases:
        assert phrase in message(exc)


def test_two_suffix_qualifiers_are_rejected():
    with pytest.raises(PydanticCustomError):
        parse_number("1000余以上")


# --------------------------------------------------------------------------- quantities


def q(**kw) -> Quantity:
    return Quantity(**kw)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (q(value=1000), q(value=5), (1005, "exact")),
        (q(value=1000, qualifier="more_than"), q(value=5), (1005, "more_than")),
        (q(value=96, qualifier="at_least"), q(value=4), (100, "at_least")),
        (q(value=300, qualifier="about"), q(value=5, qualifier="more_than"), (305, "about")),
        (q(value=1000), q(redacted="20xx"), (1000, "at_least")),
        (q(value=1000), q(unreadable="1 10,000"), (1000, "at_least")),
    ],
)
def test_sums_are_honest(a, b, expected):
    total = a + b
    assert (total.value, total.qualifier) == expected
    assert (b + a).qualifier == expected[1]


def test_quantity_needs_exactly_one_form():
    with pytest.raises(ValueError, match="exactly one of value"):
        Quantity()
    with pytest.raises(ValueError, match="exactly one of value"):
        Quantity(value=1, redacted="xx")


def test_quantity_cannot_be_negative():
    with pytest.raises(ValueError, match="cannot be negative"):
        Quantity(value=-1)


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    "text",
    ["2018-12-04", "2018-12-4", "2018.12.4", "2018/12/4", "2018年12月4日", "2018年12月4号", " 2018-12-04 "],
)
def test_dates_as_editors_write_them(text):
    assert parse_date(text) == date(2018, 12, 4)


@pytest.mark.parametrize(
    ("text", "phrases"),
    [
        ("12/4/2018", ["year must come first", "2018-12-04", "年份应写在最前面"]),
        ("4.12.2018", ["year must come first"]),
        ("2018-02-30", ["February 2018 has no day 30", "2018年2月没有30日"]),
        ("2019-02-29", ["February 2019 has no day 29"]),
        ("2018-13-01", ["there is no month 13"]),
        ("2018-12", ["has no day"]),
        ("2018年12月", ["has no day"]),
        ("20181204", ["is not a date"]),
        ("明年", ["is not a date"]),
        ("２０１８-12-04", ["full-width", "2018-12-04"]),
    ],
)
def test_dates_rejected_with_the_fix(text, phrases):
    with pytest.raises(PydanticCustomError) as exc:
        parse_date(text)
    for phrase in phrases:
        assert phrase in message(exc)


def test_leap_day():
    assert parse_date("2020-02-29") == date(2020, 2, 29)


def test_year_zero_is_a_bilingual_problem():
    with pytest.raises(PydanticCustomError):
        parse_date("0000-12-04")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-07-26 09:33", (date(2021, 7, 26), time(9, 33))),
        ("2021-07-26T09:33", (date(2021, 7, 26), time(9, 33))),
        ("2021年7月26日 9时33分", (date(2021, 7, 26), time(9, 33))),
        ("2021年7月26日9时33分", (date(2021, 7, 26), time(9, 33))),
        ("2021-07-26", (date(2021, 7, 26), None)),
    ],
)
def test_datetimes(text, expected):
    assert parse_datetime(text) == expected


@pytest.mark.parametrize("text", ["2021-07-26 24:00", "2021-07-26 9:3", "2021-07-26 上午"])
def test_bad_times(text):
    with pytest.raises(PydanticCustomError) as exc:
        parse_datetime(text)
    assert "hours:minutes" in message(exc)
