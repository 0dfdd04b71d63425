"""Observances with a name history and ordinals: numerals, the name in force on a date, validation, pages."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from conftest import ROOT, YEAR_FILE, event, expect, problems
from sitegen.content.loader import load_content
from sitegen.content.observances import Observance, chinese_numeral, ordinal_en, ordinal_zh
from sitegen.site.pipeline import build
from sitegen.site.theme import theme_dir

HISTORY = """\
observances:
  - id: constitution-day
    names:
      - from: 2001
        zh: 全国法制宣传日
        en: National Legal Publicity Day
        first_year: 2001
      - from: 2014
        zh: 国家宪法日
        en: National Constitution Day
        first_year: 2014
    date: 12-04
  - id: anti-drug-day
    name:
      zh: 国际禁毒日
      en: International Day against Drug Abuse and Illicit Trafficking
    date: 06-26
    since: 1988
    first_year: 1988
  - id: consumer-day
    name: 国际消费者权益日
    date: 03-15
kinds:
  - id: lecture
    name: 讲座
"""


def observance(**fields: object) -> Observance:
    return Observance.model_validate({"id": "x", "date": "12-04", **fields})


# --------------------------------------------------------------------------- numerals


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (0, "零"),
        (1, "一"),
        (2, "二"),
        (9, "九"),
        (10, "十"),
        (11, "十一"),
        (12, "十二"),
        (19, "十九"),
        (20, "二十"),
        (21, "二十一"),
        (34, "三十四"),
        (99, "九十九"),
        (100, "一百"),
        (101, "一百零一"),
        (110, "一百一十"),
        (111, "一百一十一"),
        (120, "一百二十"),
        (999, "九百九十九"),
        (1000, "一千"),
        (1001, "一千零一"),
        (1010, "一千零一十"),
        (1100, "一千一百"),
        (2026, "二千零二十六"),
        (9999, "九千九百九十九"),
        (10000, "一万"),
        (10001, "一万零一"),
        (10010, "一万零一十"),
        (10100, "一万零一百"),
        (11000, "一万一千"),
        (100000, "十万"),
        (110000, "十一万"),
        (100001, "十万零一"),
        (1000000, "一百万"),
        (10000000, "一千万"),
        (10010000, "一千零一万"),
        (100000000, "一亿"),
        (100010000, "一亿零一万"),
        (100000001, "一亿零一"),
        (123456789, "一亿二千三百四十五万六千七百八十九"),
    ],
)
def test_chinese_numerals(n: int, text: str) -> None:
    assert chinese_numeral(n) == text


@pytest.mark.parametrize("n", [-1, 10**16])
def test_chinese_numeral_out_of_range(n: int) -> None:
    with pytest.raises(ValueError):
        chinese_numeral(n)


@pytest.mark.parametrize(
    ("n", "zh"),
    [(1, "第一个"), (8, "第八个"), (10, "第十个"), (12, "第十二个"), (34, "第三十四个"), (101, "第一百零一个")],
)
def test_chinese_ordinals(n: int, zh: str) -> None:
    assert ordinal_zh(n) == zh


@pytest.mark.parametrize(
    ("n", "en"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (10, "10th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (14, "14th"),
        (21, "21st"),
        (22, "22nd"),
        (23, "23rd"),
        (24, "24th"),
        (100, "100th"),
        (101, "101st"),
        (102, "102nd"),
        (111, "111th"),
        (112, "112th"),
        (113, "113th"),
        (121, "121st"),
        (1011, "1011th"),
        (1021, "1021st"),
    ],
)
def test_english_ordinals(n: int, en: str) -> None:
    assert ordinal_en(n) == en


@pytest.mark.parametrize("n", [0, -3])
def test_no_ordinal_below_one(n: int) -> None:
    with pytest.raises(ValueError):
        ordinal_zh(n)
    with pytest.raises(ValueError):
        ordinal_en(n)


# --------------------------------------------------------------------------- the name in force


def constitution_day() -> Observance:
    content = load_content(ROOT / "content", today=date(2026, 12, 1))
    return next(o for o in content.observances if o.id == "constitution-day")


def test_name_in_force_on_a_date() -> None:
    day = constitution_day()
    assert day.name_on(date(2001, 12, 4), "zh") == "全国法制宣传日"
    assert day.name_on(date(2013, 12, 4), "en") == "National Legal Publicity Day"
    assert day.name_on(date(2014, 12, 4), "zh") == "国家宪法日"
    assert day.name_on(2021, "en") == "National Constitution Day"
    assert day.name is not None and day.name.zh == "国家宪法日"  # charts: the newest name


def test_ordinals_count_from_each_names_first_year() -> None:
    day = constitution_day()
    assert day.caption(date(2021, 12, 4), "zh") == "第八个国家宪法日"
    assert day.caption(date(2021, 12, 4), "en") == "the 8th National Constitution Day"
    assert day.caption(date(2013, 12, 4), "zh") == "第十三个全国法制宣传日"
    assert day.caption(date(2014, 12, 4), "en") == "the 1st National Constitution Day"


def test_example_observances_carry_their_real_history() -> None:
    content = load_content(ROOT / "content", today=date(2026, 12, 1))
    by_id = {o.id: o for o in content.observances}
    assert by_id["national-security-day"].ordinal(2021) == 6
    assert by_id["anti-drug-day"].ordinal(2021) == 34
    assert by_id["constitution-week"].ordinal(2018) == 1
    assert by_id["consumer-day"].ordinal(2021) is None  # no first_year: no ordinal claimed


def test_without_first_year_no_ordinal_and_english_falls_back() -> None:
    plain = observance(name="某纪念日")
    assert plain.caption(date(2021, 12, 4), "en") == "某纪念日"
    counted = observance(name="某纪念日", first_year=2020)
    assert counted.caption(date(2021, 12, 4), "en") == "第二个某纪念日"
    assert counted.ordinal(2019) is None


def test_observance_first_year_counts_through_a_renaming() -> None:
    renamed = observance(
        names=[{"from": 2001, "zh": "旧名", "en": "Old"}, {"from": 2010, "zh": "新名", "en": "New"}], first_year=2001
    )
    assert renamed.caption(date(2011, 12, 4), "en") == "the 11th New"
    assert renamed.first_held == 2001


# --------------------------------------------------------------------------- validation


def test_name_and_names_together_is_an_error(site) -> None:
    both = HISTORY.replace("    names:\n", "    name: 国家宪法日\n    names:\n", 1)
    found = problems(site({"observances.yaml": both}))
    expect(found, "observances.yaml", 2, None, "not both and not neither", "二者只写一个")


def test_neither_name_nor_names_is_an_error(site) -> None:
    found = problems(site({"observances.yaml": "observances:\n  - id: x\n    date: 12-04\n"}))
    expect(found, "observances.yaml", 2, None, "Give either name")


def test_unordered_from_years_are_located(site) -> None:
    swapped = HISTORY.replace("from: 2014", "from: 1999").replace("first_year: 2014", "first_year: 1999")
    found = problems(site({"observances.yaml": swapped}))
    expect(found, "observances.yaml", 8, 15, "oldest first", "从早到晚")


def test_overlapping_from_years_are_located(site) -> None:
    twice = HISTORY.replace("from: 2014", "from: 2001").replace("first_year: 2014", "first_year: 2001")
    found = problems(site({"observances.yaml": twice}))
    expect(found, "observances.yaml", 8, 15, "both start in 2001", "同一年只能有一个名称")


def test_a_names_first_year_after_its_from_is_located(site) -> None:
    late = HISTORY.replace("first_year: 2014", "first_year: 2015")
    found = problems(site({"observances.yaml": late}))
    expect(found, "observances.yaml", 11, 21, "would have no ordinal", "没有序数")


def test_an_observances_first_year_after_since_is_located(site) -> None:
    late = HISTORY.replace("first_year: 1988", "first_year: 1989")
    found = problems(site({"observances.yaml": late}))
    expect(found, "observances.yaml", 19, 17, "first year it was held", "晚于设立年份")


def test_since_must_agree_with_the_first_name(site) -> None:
    off = HISTORY.replace("    date: 12-04\n", "    date: 12-04\n    since: 2014\n", 1)
    found = problems(site({"observances.yaml": off}))
    expect(found, "observances.yaml", 13, 12, "With names, since can be left out")


def test_an_ordinal_asked_before_the_first_year_is_an_error(site) -> None:
    early = event(date="2000-12-04")
    found = problems(site({"observances.yaml": HISTORY, "units/demo/2000.yaml": early, YEAR_FILE: None}))
    expect(found, "units/demo/2000.yaml", 2, None, "is counted from 2001", "第几个")


def test_an_early_event_without_ordinal_stays_a_warning(site) -> None:
    early = event(date="2000-03-15", observance="consumer-day")
    root = site({"observances.yaml": HISTORY.replace("    date: 03-15\n", "    date: 03-15\n    since: 2001\n")})
    (root / "units/demo/2000.yaml").write_text(early, encoding="utf-8")
    (root / YEAR_FILE).unlink()
    content = load_content(root, today=date(2024, 1, 1))
    expect(list(content.warnings), "units/demo/2000.yaml", 4, None, "exists only since 2001", severity="warning")


# --------------------------------------------------------------------------- pages


def test_year_pages_show_the_name_in_force_with_its_ordinal(site, tmp_path: Path) -> None:
    years = {
        "units/demo/2013.yaml": event(date="2013-12-04"),
        "units/demo/2021.yaml": event(date="2021-12-04"),
        "units/demo/2022.yaml": event(date="2022-06-26", observance="anti-drug-day"),
    }
    periods = "periods:\n  - id: p\n    name: 测试期\n    start: 2011\n    end: 2025\n"
    root = site({"observances.yaml": HISTORY, "periods.yaml": periods, **years})
    result = build(root, tmp_path / "out", templates=theme_dir(), write=False, today=date(2022, 7, 1))

    def page(lang: str, year: int) -> str:
        return result.files[f"{lang}/units/demo/{year}/index.html"].decode("utf-8")

    def caption(lang: str, year: int) -> list[str]:
        return re.findall(r'<small class="occasion">([^<]*)</small>', page(lang, year))

    assert caption("zh", 2013) == ["第十三个全国法制宣传日"]  # the name in force then (charts: the newest)
    assert caption("en", 2013) == ["the 13th National Legal Publicity Day"]
    assert caption("zh", 2021) == ["第八个国家宪法日"]
    assert caption("en", 2021) == ["the 8th National Constitution Day"]
    assert caption("zh", 2022) == ["第三十五个国际禁毒日"]
    assert caption("en", 2022) == ["the 35th International Day against Drug Abuse and Illicit Trafficking"]


def test_a_renamed_observance_counts_each_name_once_for_translations() -> None:
    from sitegen.content.observances import Observance
    from sitegen.content.translations import _texts

    day = Observance.model_validate(
        {
            "id": "constitution-day",
            "date": "12-04",
            "names": [{"from": 2001, "zh": "全国法制宣传日"}, {"from": 2014, "zh": "国家宪法日"}],
        }
    )
    assert day.name is not None and day.name.zh == "国家宪法日"
    assert [where for where, _ in _texts(day, "")] == ["names[0]", "names[1]"]
