"""Well-formed YAML with wrong content: the model (validation.py) and cross-file checks (integrity.py).

Line numbers refer to the year file built by ``conftest.event``: line 1 ``events:``, 2 ``- date``,
3 title, 4 observance, 5 kind, 6 participants, 7 and on the extra fields, in order.
"""

from __future__ import annotations

from datetime import date

import pytest

from conftest import OBSERVANCES_YAML, PERIODS_YAML, SITE_YAML, YEAR_FILE, check_json, event, expect, problems
from sitegen.content.loader import load_content

NEWS = "news/2021-07-26-lecture.zh.md"


def news(**fields: str) -> dict[str, str]:
    meta = {"title": "宪法讲座", "date": "2021-07-26 09:33", "source": "区委办公室", **fields}
    front = "".join(f"{k}: {v}\n" for k, v in meta.items())
    return {NEWS: f"---\n{front}---\n正文。\n"}


def loaded_event(site, **fields):
    """The first event of the demo unit's 2021 after loading a year file with ``fields``."""
    content = load_content(site({YEAR_FILE: event(**fields)}))
    return content.unit("demo").years[2021].record.events[0]


# --------------------------------------------------------------------------- fields


def test_unknown_field_did_you_mean(site):
    code, found, _ = check_json(site({YEAR_FILE: event(partcipants="12")}))
    assert code == 1
    expect(
        found,
        YEAR_FILE,
        7,
        5,
        'Unknown field "partcipants"',
        'Did you mean "participants"',
        "是否想写“participants”",
    )


def test_unknown_field_lists_the_allowed_fields(site):
    found = problems(site({"units/demo/unit.yaml": "name: 演示单位\n负责人: 张三\n"}))
    expect(found, "units/demo/unit.yaml", 2, 1, 'Unknown field "负责人"', "Fields allowed here: name, short_name")


def test_missing_required_field(site):
    code, found, _ = check_json(site({YEAR_FILE: event(date=None)}))
    assert code == 1
    expect(found, YEAR_FILE, 2, 5, 'The required field "date" is missing', "缺少必填项“date”")


def test_missing_required_field_in_site_yaml(site):
    found = problems(site({"site.yaml": SITE_YAML.replace("organizer: 某区委办公室\n", "")}))
    expect(found, "site.yaml", 1, 1, '"organizer" is missing')


def test_event_needs_a_classification(site):
    found = problems(site({YEAR_FILE: event(observance=None, kind=None)}))
    expect(found, YEAR_FILE, 2, 5, "Give at least one of observance")


def test_list_where_text_is_expected(site):
    code, found, _ = check_json(site({YEAR_FILE: event(title="[宪法, 讲座]")}))
    assert code == 1
    expect(found, YEAR_FILE, 3, 12, "piece of text", "not a list", "不是列表")


def test_text_where_a_list_is_expected(site):
    code, found, _ = check_json(site({YEAR_FILE: "events: 宪法宣传\n"}))
    assert code == 1
    expect(found, YEAR_FILE, 1, 9, '"events" must be a list', 'starting with "- "')


def test_empty_value(site):
    found = problems(site({YEAR_FILE: event(title="")}))
    expect(found, YEAR_FILE, 3, 11, 'No value is given for "title"')


def test_literal_did_you_mean(site):
    found = problems(site({YEAR_FILE: event(audience="publc")}))
    expect(found, YEAR_FILE, 7, 15, '"publc" is not one of the allowed values', 'Did you mean "public"')


# --------------------------------------------------------------------------- YAML 1.1 surprises


@pytest.mark.parametrize(
    "word", ["no", "on", "yes", "off", "NO", "y", "n", "true", "2021", "1e3", "0x1F", "012", "null"]
)
def test_words_stay_text(site, word):
    title = loaded_event(site, title=f'"{word}"' if word == "null" else word).title
    assert title.zh == word


def test_unquoted_null_is_no_value(site):
    found = problems(site({YEAR_FILE: event(title="~")}))
    expect(found, YEAR_FILE, 3, 12, 'No value is given for "title"')


# --------------------------------------------------------------------------- numbers in fields


@pytest.mark.parametrize(
    ("written", "value", "qualifier"),
    [
        ("120", 120, "exact"),
        ("12,000", 12000, "exact"),
        ("1.2万", 12000, "exact"),
        ("1000余", 1000, "more_than"),
        ("96以上", 96, "at_least"),
        ("约300", 300, "about"),
        ("1000余人次", 1000, "more_than"),
    ],
)
def test_participants_as_editors_write_them(site, written, value, qualifier):
    participants = loaded_event(site, participants=written).participants
    assert (participants.value, participants.qualifier, participants.text) == (value, qualifier, written)


def test_redacted_figure(site):
    participants = loaded_event(site, participants="20xx").participants
    assert (participants.value, participants.redacted) == (None, "20xx")


@pytest.mark.parametrize(
    ("written", "phrases"),
    [
        ("1,2", ["commas", "misplaced", "12,000"]),
        ("abc", ["is not a number", "1.2万"]),
        ("１２", ["full-width", "half-width: 12", "全角"]),
        ("-5", ["negative"]),
        ("1.5", ["whole number"]),
        ("约1000余", ["two qualifiers"]),
    ],
)
def test_bad_participants(site, written, phrases):
    found = problems(site({YEAR_FILE: event(participants=written)}))
    expect(found, YEAR_FILE, 6, 19, *phrases)


def test_fullwidth_digits_via_cli(site):
    code, found, _ = check_json(site({YEAR_FILE: event(participants="１２")}))
    assert code == 1
    expect(found, YEAR_FILE, 6, 19, "full-width", "Type them half-width: 12")


def test_negative_amount(site):
    text = event() + "funding:\n  budget: 5万\n  items:\n    - title: 宣传资料\n      amount: -800\n"
    code, found, _ = check_json(site({YEAR_FILE: text}))
    assert code == 1
    expect(found, YEAR_FILE, 11, 15, '"-800" is negative', "负数")


def test_exact_number_required(site):
    periods = PERIODS_YAML.replace("start: 2021", "start: 2021左右")
    found = problems(site({"periods.yaml": periods}))
    expect(found, "periods.yaml", 4, 12, "must be an exact number")


# --------------------------------------------------------------------------- dates in fields


@pytest.mark.parametrize("written", ["2021-12-04", "2021.12.4", "2021/12/4", "2021年12月4日"])
def test_event_dates_as_editors_write_them(site, written):
    assert loaded_event(site, date=written).date == date(2021, 12, 4)


@pytest.mark.parametrize(
    ("written", "phrases"),
    [
        ("12/4/2021", ["the year must come first", "2018-12-04"]),
        ("2021-02-30", ["February 2021 has no day 30"]),
        ("2021-12", ["has no day"]),
    ],
)
def test_bad_event_dates(site, written, phrases):
    code, found, _ = check_json(site({YEAR_FILE: event(date=written)}))
    assert code == 1
    expect(found, YEAR_FILE, 2, 11, *phrases)


def test_event_date_outside_the_year_of_its_file(site):
    code, found, _ = check_json(site({YEAR_FILE: event(date="2022-12-04")}))
    assert code == 1
    expect(found, YEAR_FILE, 2, 11, "is not in 2021", "2021.yaml", "不在本文件的年份")


def test_news_date_with_bad_time(site):
    found = problems(site(news(date="2021-07-26 25:00")))
    expect(found, NEWS, 3, 7, "hours:minutes")


# --------------------------------------------------------------------------- ids and references


def test_duplicate_event_ids(site):
    text = event(id="lecture-1") + event(id="lecture-1", date="2021-12-05").replace("events:\n", "")
    code, found, _ = check_json(site({YEAR_FILE: text}))
    assert code == 1
    expect(found, YEAR_FILE, 13, 9, 'The event id "lecture-1" is used twice')


def test_duplicate_period_ids(site):
    periods = PERIODS_YAML + "  - id: bawu\n    name: 七五普法\n    start: 2016\n    end: 2020\n    status: closed\n"
    code, found, _ = check_json(site({"periods.yaml": periods}))
    assert code == 1
    expect(found, "periods.yaml", 7, 9, 'The period id "bawu" is used twice', "重复")


def test_overlapping_periods(site):
    periods = PERIODS_YAML + "  - id: qiwu\n    name: 七五普法\n    start: 2016\n    end: 2021\n    status: closed\n"
    code, found, _ = check_json(site({"periods.yaml": periods}))
    assert code == 1
    expect(found, "periods.yaml", 4, 12, 'The period "bawu" (2021-2025) overlaps "qiwu" (2016-2021)', "重叠")


def test_period_ends_before_it_starts(site):
    found = problems(site({"periods.yaml": PERIODS_YAML.replace("end: 2025", "end: 2020")}))
    expect(found, "periods.yaml", 5, 10, "The end year 2020 is before the start year 2021")  # at end: 2020
    assert len(found) == 1, found


def test_campaign_ends_before_it_starts(site):
    registry = "campaigns:\n  - id: civil-code\n    name: 民法典宣传月\n    start: 2021-05-31\n    end: 2021-05-01\n"
    found = problems(site({"observances.yaml": OBSERVANCES_YAML + registry}))
    expect(found, "observances.yaml", 12, 10, "The end date 2021-05-01 is before the start date 2021-05-31")


def test_two_active_periods(site):
    periods = PERIODS_YAML + "  - id: jiuwu\n    name: 九五普法\n    start: 2026\n    end: 2030\n    status: active\n"
    found = problems(site({"periods.yaml": periods}))
    expect(found, "periods.yaml", 11, 13, "Only one period can have the status active")


def test_unknown_observance_did_you_mean(site):
    code, found, _ = check_json(site({YEAR_FILE: event(observance="constitution-days")}))
    assert code == 1
    expect(
        found,
        YEAR_FILE,
        4,
        17,
        'no observance "constitution-days"',
        'Did you mean "constitution-day"',
        "找不到纪念日",
    )


def test_unknown_kind(site):
    code, found, _ = check_json(site({YEAR_FILE: event(kind="exhibition")}))
    assert code == 1
    expect(found, YEAR_FILE, 5, 11, 'no event kind "exhibition"', "Known ids: lecture")


def test_unknown_campaign(site):
    found = problems(site({YEAR_FILE: event(campaign="fangyi")}))
    expect(found, YEAR_FILE, 7, 15, 'no campaign "fangyi"')


def test_news_refers_to_an_unknown_unit(site):
    code, found, _ = check_json(site(news(unit="dem")))
    assert code == 1
    expect(found, NEWS, 5, 7, 'no unit "dem"', 'Did you mean "demo"', "找不到单位")


def test_news_refers_to_an_unknown_period(site):
    code, found, _ = check_json(site(news(period="qiwu")))
    assert code == 1
    expect(found, NEWS, 5, 9, 'no period "qiwu"', "periods.yaml")


def test_period_record_refers_to_an_unknown_observance(site):
    found = problems(site({"units/demo/bawu.yaml": "observances:\n  - constitution-day\n  - xianfa-day\n"}))
    expect(found, "units/demo/bawu.yaml", 3, 5, '"xianfa-day"')


def test_id_with_capitals(site):
    found = problems(site({YEAR_FILE: event(id="Lecture_1")}))
    expect(found, YEAR_FILE, 7, 9, "lowercase letters, digits and hyphens", "e.g. lecture-1")


def test_bad_url(site):
    found = problems(site({"site.yaml": SITE_YAML.replace("https://www.example.gov.cn/pufa/", "www.example.gov.cn")}))
    expect(found, "site.yaml", 5, 11, "http:// or https://")


# --------------------------------------------------------------------------- warnings


def test_observance_before_it_existed_is_a_warning(site):
    observances = "observances:\n  - id: constitution-day\n    name: 国家宪法日\n    date: 12-04\n    since: 2022\n"
    content = load_content(site({"observances.yaml": observances + "kinds:\n  - id: lecture\n    name: 讲座\n"}))
    expect(list(content.warnings), YEAR_FILE, 4, 17, "exists only since 2022", severity="warning")


def test_year_outside_every_period_is_a_warning(site):
    content = load_content(site({"units/demo/2019.yaml": event(date="2019-12-04")}))
    expect(list(content.warnings), "units/demo/2019.yaml", 1, 1, "not in any period", severity="warning")
