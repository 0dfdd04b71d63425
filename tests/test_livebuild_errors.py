"""serve's build thread says a sitegen error (ECharts not obtainable …) in words, in the terminal and the page."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.preview.livebuild import LiveBuilder
from sitegen.site.vendor import VendorError

ROOT = Path(__file__).resolve().parents[1]


def test_a_vendor_error_during_serve_is_a_problem_not_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    said: list[str] = []
    published = []
    live = LiveBuilder(ROOT / "content", ROOT / "templates", publish=published.append, stale=print, out=said.append)

    def no_echarts(changed: object = None) -> None:
        raise VendorError("npm was not found on this computer.", "本机找不到 npm。")

    monkeypatch.setattr(live.builder, "build", no_echarts)
    snapshot = live.build_now()
    assert [p.en for p in snapshot.problems] == ["npm was not found on this computer."]
    assert published == [snapshot]
    assert "Traceback" not in "".join(said) and "本机找不到 npm" in "".join(said)
