"""Every mistake at once, once, on the right line (issue 13).

Independent mistakes in many files come out of one ``check`` run, each exactly once, at its file and
line, and a file whose own errors are reported causes no follow-on errors elsewhere.
"""

from __future__ import annotations

from conftest import OBSERVANCES_YAML, PERIODS_YAML, SITE_YAML, YEAR_FILE, check_json, event, expect, problems

NEWS = "news/2021-07-26-lecture.zh.md"
PERIOD_FILE = "units/demo/bawu.yaml"

VALID_EXTRAS = {
    NEWS: "---\ntitle: 法治讲座\ndate: 2021-07-26 09:30\nsource: 某区委办公室\nunit: demo\nperiod: bawu\n---\n正文。\n",
    PERIOD_FILE: "observances:\n  - constitution-day\n",
}


def where(found: list[dict]) -> list[tuple[str, int]]:
    """(file relative to content/, line) of each problem, sorted."""
    return sorted((e["path"].replace("\\", "/").split("content/", 1)[1], e["line"]) for e in found)


def test_the_extras_are_valid(site):
    assert problems(site(VALID_EXTRAS)) == []


def test_seven_mistakes_in_seven_files_in_one_run(site):
    files = {
        **VALID_EXTRAS,
        "site.yaml": SITE_YAML.replace("base_url: https://", "base_url: "),  # line 5
        "periods.yaml": PERIODS_YAML.replace("end: 2025", "end: 2020"),  # line 5
        "observances.yaml": OBSERVANCES_YAML.replace("date: 12-04", "date: 12-34"),  # line 4
        "units/demo/unit.yaml": "name: 演示单位\nname: 另一个名称\n",  # line 2
        YEAR_FILE: event(kind="lectur"),  # line 5
        NEWS: VALID_EXTRAS[NEWS].replace("period: bawu", "period: bawuu"),  # line 6
        PERIOD_FILE: "observances:\n  - constitution-dya\n",  # line 2
    }
    code, found, _ = check_json(site(files))
    assert code == 1
    assert where(found) == sorted(
        [
            (NEWS, 6),
            ("observances.yaml", 4),
            ("periods.yaml", 5),
            ("site.yaml", 5),
            (PERIOD_FILE, 2),
            (YEAR_FILE, 5),
            ("units/demo/unit.yaml", 2),
        ]
    ), found
    expect(found, "site.yaml", 5, None, "web address")
    expect(found, "periods.yaml", 5, 10, "The end year 2020 is before the start year 2021")
    expect(found, "observances.yaml", 4, None, "12-34")
    expect(found, "units/demo/unit.yaml", 2, 1, 'The key "name" appears twice')
    expect(found, YEAR_FILE, 5, None, 'There is no event kind "lectur"', 'Did you mean "lecture"?')
    expect(found, NEWS, 6, None, 'There is no period "bawuu"', 'Did you mean "bawu"?')
    expect(found, PERIOD_FILE, 2, None, '"constitution-dya"', 'Did you mean "constitution-day"?')


def test_six_mistakes_in_three_files_in_one_run(site):
    year = (
        "events:\n"
        "  - date: 2021-12-04\n"
        "    title: 宪法宣传\n"
        "    media: [新洲发布, 区电视台\n"  # 4: unclosed bracket (YAML stops here)
        "    kind: lecture\n"
        "  - date: 2021-12-05\n"
        "    title: 宪法宣传\n"
        "    kind: lecture\n"
        "\tparticipants: 120\n"  # 9: a tab, after the syntax error
    )
    unit = "name: 演示单位\norder: 1\nname: 另一个名称\norder: 2\n"  # 3, 4: two repeated keys
    period = (
        "leading_group:\n"
        "  head: 办公室主任\n"
        "  established: 二〇二一\n"  # 3: not a number
        "observances:\n"
        "  - constitution-dya\n"  # 5: unknown id, in the valid part of a file that did not validate
    )
    files = {**VALID_EXTRAS, YEAR_FILE: year, "units/demo/unit.yaml": unit, PERIOD_FILE: period}
    code, found, _ = check_json(site(files))
    assert code == 1
    assert where(found) == sorted(
        [
            (PERIOD_FILE, 3),
            (PERIOD_FILE, 5),
            (YEAR_FILE, 4),
            (YEAR_FILE, 9),
            ("units/demo/unit.yaml", 3),
            ("units/demo/unit.yaml", 4),
        ]
    ), found
    expect(found, YEAR_FILE, 4, 12, "bracket")
    expect(found, YEAR_FILE, 9, None, "tab")
    expect(found, "units/demo/unit.yaml", 3, 1, 'The key "name" appears twice', "line 1")
    expect(found, "units/demo/unit.yaml", 4, 1, 'The key "order" appears twice', "line 2")
    expect(found, PERIOD_FILE, 5, None, '"constitution-dya"')


def test_a_duplicate_key_in_unit_yaml_causes_no_unknown_unit(site):
    front = "---\ntitle: 动态\ndate: 2021-07-2{i}\nsource: 某办\nunit: demo\n---\n正文。\n"
    news = {f"news/2021-07-2{i}-item.zh.md": front.format(i=i) for i in range(3)}
    found = problems(site({**news, "units/demo/unit.yaml": "name: 演示单位\nname: 另一个名称\n"}))
    assert [(e.line, e.en.split(" (")[0]) for e in found] == [(2, 'The key "name" appears twice')], found


def test_a_unit_without_a_valid_unit_yaml_still_has_its_years_checked(site):
    found = problems(site({"units/demo/unit.yaml": "nmae: 演示单位\n", YEAR_FILE: event(kind="lectur")}))
    assert len(found) == 2, found  # the misspelt field, not also "name is missing"
    expect(found, "units/demo/unit.yaml", 1, None, 'Unknown field "nmae"', 'Did you mean "name"?')
    expect(found, YEAR_FILE, 5, None, 'There is no event kind "lectur"')


def test_an_unreadable_registry_causes_no_unknown_references(site):
    found = problems(site({"observances.yaml": "observances:\n  - id: constitution-day\n\tname: 国家宪法日\n"}))
    assert len(found) == 1, found
    expect(found, "observances.yaml", 3, 1, "tab")


def test_an_unreadable_periods_yaml_leaves_period_files_alone(site):
    found = problems(site({**VALID_EXTRAS, "periods.yaml": "periods:\n  - id: bawu\n    name: [八五普法\n"}))
    assert len(found) == 1, found
    expect(found, "periods.yaml", 3, None, "bracket")


def test_a_bad_event_leaves_the_others_checked_at_their_lines(site):
    year = (
        "events:\n"
        "  - date: 2021-13-04\n"  # 2: no month 13
        "    title: 宪法宣传\n"
        "    kind: lecture\n"
        "  - date: 2021-12-05\n"
        "    title: 宪法宣传\n"
        "    kind: lectur\n"  # 7: unknown kind, in the second event (first of the valid part)
    )
    found = problems(site({YEAR_FILE: year}))
    assert len(found) == 2, found
    expect(found, YEAR_FILE, 2, None, "13")
    expect(found, YEAR_FILE, 7, None, 'There is no event kind "lectur"')
