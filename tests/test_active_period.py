"""Periods know where they stand: the status follows from the build date (``--today``) unless written."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from conftest import ROOT, check, event, expect
from sitegen import cliargs
from sitegen.content.loader import load_content
from sitegen.content.model import Period
from sitegen.content.sitefiles import on_date
from sitegen.site.pipeline import build
from sitegen.site.theme import theme_dir

TWO_PERIODS = """\
periods:
  - id: qiwu
    name: 七五普法
    start: 2016
    end: 2020
  - id: bawu
    name: 八五普法
    start: 2021
    end: 2025
"""


def period(pid: str, start: int, status: str | None = None) -> Period:
    return Period.model_validate({"id": pid, "name": pid, "start": start, "end": start + 4, "status": status})


@pytest.fixture
def dated_site(site):
    """Two periods without a written status; the unit has files for 2019 and 2021."""
    return lambda files=None: site(
        {
            "periods.yaml": TWO_PERIODS,
            "units/demo/2019.yaml": event(date="2019-12-04"),
            "units/demo/2021.yaml": event(date="2021-12-04"),
            **(files or {}),
        }
    )


# --------------------------------------------------------------------------- the status on a date


@pytest.mark.parametrize(
    ("day", "status"),
    [
        (date(2020, 12, 31), "planned"),
        (date(2021, 1, 1), "active"),
        (date(2025, 12, 31), "active"),
        (date(2026, 1, 1), "closed"),
    ],
)
def test_status_follows_the_date(day: date, status: str) -> None:
    assert period("bawu", 2021).status_on(day) == status


def test_a_written_status_overrides_the_date() -> None:
    assert period("bawu", 2021, "closed").status_on(date(2023, 1, 1)) == "closed"
    assert period("jiuwu", 2026, "planned").status_on(date(2027, 1, 1)) == "planned"


def test_a_written_active_is_the_only_active_one() -> None:
    periods = (period("qiwu", 2016), period("bawu", 2021, "active"), period("jiuwu", 2026))
    assert [p.status for p in on_date(periods, date(2026, 3, 1))] == ["closed", "active", "planned"]
    periods = (period("qiwu", 2016, "active"), period("bawu", 2021))
    assert [p.status for p in on_date(periods, date(2022, 3, 1))] == ["active", "planned"]


def test_loaded_content_is_dated(dated_site) -> None:
    root = dated_site()
    assert load_content(root, today=date(2019, 6, 1)).current_period.id == "qiwu"
    assert load_content(root, today=date(2021, 6, 1)).current_period.id == "bawu"


# --------------------------------------------------------------------------- warnings


def test_no_period_on_the_date_is_a_warning_at_periods_yaml(dated_site) -> None:
    content = load_content(dated_site(), today=date(2031, 2, 1))
    expect(list(content.warnings), "periods.yaml", 2, None, "No period is active on 2031-02-01", severity="warning")


def test_a_written_status_leaving_no_period_active_is_a_warning_at_it(dated_site) -> None:
    planned = TWO_PERIODS + "    status: planned\n"
    content = load_content(dated_site({"periods.yaml": planned}), today=date(2021, 6, 1))
    expect(list(content.warnings), "periods.yaml", 10, 13, '"bawu" (2021-2025) holds it', severity="warning")


def test_a_missing_current_year_is_a_warning(dated_site) -> None:
    content = load_content(dated_site(), today=date(2022, 3, 1))
    found = expect(list(content.warnings), "periods.yaml", 6, None, "units/demo/2022.yaml", severity="warning")
    assert "new year demo 2022" in found["en"] and "本年" in found["zh"]


def test_no_warning_when_the_year_is_there_or_the_unit_does_not_report(dated_site) -> None:
    assert load_content(dated_site(), today=date(2021, 6, 1)).warnings == ()
    only_old = dated_site({"units/demo/2021.yaml": None})
    assert load_content(only_old, today=date(2022, 6, 1)).warnings == ()  # no data in bawu yet


def test_check_reports_the_warnings_of_its_today(dated_site) -> None:
    code, out, err = check(dated_site(), "--today", "2022-03-01")
    assert code == 0, out + err
    assert "periods.yaml:6:" in out and "units/demo/2022.yaml" in out
    code, out, err = check(dated_site(), "--today", "2022-03-01", "--strict")
    assert code == 1


# --------------------------------------------------------------------------- the built site


def home_heading(files: dict[str, bytes]) -> str:
    html = files["zh/index.html"].decode("utf-8")
    return re.search(r'<h2 id="key-figures">([^<]*)</h2>', html).group(1)


def test_the_home_page_shows_the_period_of_the_date(dated_site, tmp_path: Path) -> None:
    root = dated_site()
    early = build(root, tmp_path / "a", templates=theme_dir(), write=False, today=date(2019, 6, 1))
    late = build(root, tmp_path / "b", templates=theme_dir(), write=False, today=date(2023, 6, 1))
    assert "七五普法" in home_heading(early.files) and "八五普法" in home_heading(late.files)


def test_a_period_without_data_yet_shows_the_one_before(dated_site, tmp_path: Path) -> None:
    root = dated_site({"units/demo/2021.yaml": None})
    result = build(root, tmp_path / "a", templates=theme_dir(), write=False, today=date(2022, 6, 1))
    assert "七五普法" in home_heading(result.files)


def test_the_example_builds_identically_for_a_fixed_today(tmp_path: Path) -> None:
    args = {"templates": theme_dir(), "write": False, "today": date(2026, 12, 1)}
    first = build(ROOT / "content", tmp_path / "a", **args)
    again = build(ROOT / "content", tmp_path / "b", **args)
    assert first.files == again.files
    assert "八五普法" in home_heading(first.files)  # 九五 is active but has no data yet


def test_determinism_check_builds_the_second_time_on_the_same_today(dated_site) -> None:
    code, out, err = check(dated_site(), "--today", "2019-06-01", "--determinism", timeout=300)
    assert code == 0, out + err


# --------------------------------------------------------------------------- the command line


@pytest.mark.parametrize("command", ["build", "check", "serve"])
def test_today_is_an_option_of(command: str) -> None:
    args = cliargs.parser().parse_args([command, "--today", "2024-05-06"])
    assert args.today == date(2024, 5, 6)


def test_a_bad_today_is_a_usage_error(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        cliargs.parser().parse_args(["build", "--today", "2024-13-01"])
    assert exc.value.code == 2
    assert "expected YYYY-MM-DD" in capsys.readouterr().err
