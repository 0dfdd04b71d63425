"""``new unit|year|event|news``: files that parse, point at what is left, and never overwrite."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.cli import main
from sitegen.content.yamlsource import decode_source, parse_yaml


def new(content: Path, *args: str) -> int:
    return main(["new", "--content", str(content), *args])


def test_new_year_event_and_news_write_files_that_parse(tmp_path: Path) -> None:
    assert new(tmp_path, "unit", "district-court") == 0
    assert new(tmp_path, "year", "district-court", "2026") == 0
    assert new(tmp_path, "event", "district-court", "2026-12-04", "--observance", "constitution-day") == 0
    assert new(tmp_path, "news", "constitution-week-2026", "--date", "2026-12-04", "--unit", "district-court") == 0
    year = tmp_path / "units" / "district-court" / "2026.yaml"
    parse_yaml(decode_source(year, year.read_bytes()))
    assert "2026-12-04" in year.read_text(encoding="utf-8") and "constitution-day" in year.read_text(encoding="utf-8")
    assert (tmp_path / "news" / "constitution-week-2026.zh.md").is_file()


@pytest.mark.parametrize("year", ["-5", "0", "20261", "1900"])
def test_new_year_refuses_an_impossible_year(tmp_path: Path, year: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert new(tmp_path, "year", "demo", year) == 2
    assert "not a valid year" in capsys.readouterr().err
    assert not any(tmp_path.rglob("*.yaml"))


def test_new_never_overwrites(tmp_path: Path) -> None:
    assert new(tmp_path, "year", "demo", "2026") == 0
    path = tmp_path / "units" / "demo" / "2026.yaml"
    path.write_text("year: 2026\n", encoding="utf-8")
    assert new(tmp_path, "year", "demo", "2026") == 2
    assert path.read_text(encoding="utf-8") == "year: 2026\n"


def test_new_never_writes_through_a_dangling_link(tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    (tmp_path / "content" / "units" / "demo").mkdir(parents=True)
    (tmp_path / "content" / "units" / "demo" / "2026.yaml").symlink_to(outside)
    assert new(tmp_path / "content", "year", "demo", "2026") == 2
    assert not outside.exists()
