"""Rendering over several processes gives the bytes one process gives, and the same errors.

On the example and on a generated site above the threshold, with ``fork`` and with ``spawn``
(what Windows has); a template error comes out as the one of the first failing page in page
order; ``serve``'s incremental builds stay in one process. Asserts nothing about speed.
"""

from __future__ import annotations

import shutil
import sys
import threading
import time
from pathlib import Path

import pytest

from sitegen.content.loader import load_content
from sitegen.errors import ContentErrors
from sitegen.preview.incremental import SiteBuilder
from sitegen.site import parallel
from sitegen.site.pipeline import Renderer, build, collect_assets, environment, plan_site

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
TEMPLATES = ROOT / "templates"
sys.path.insert(0, str(ROOT / "benchmarks"))

from sites import Shape, generate  # noqa: E402

CAN_FORK = "fork" in parallel.multiprocessing.get_all_start_methods()


@pytest.fixture(scope="module")
def medium(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated site of more than :data:`parallel.THRESHOLD` pages."""
    return generate(tmp_path_factory.mktemp("medium") / "content", Shape(units=24, years=3, events=12))


def _files(content: Path, jobs: int | None, templates: Path = TEMPLATES) -> dict[str, bytes]:
    return build(content, Path("unused"), templates=templates, write=False, jobs=jobs).files


@pytest.mark.skipif(not CAN_FORK, reason="no fork on this system")
def test_example_is_byte_identical_over_processes() -> None:
    assert _files(CONTENT, 2) == _files(CONTENT, 1)


@pytest.mark.skipif(not CAN_FORK, reason="no fork on this system")
def test_medium_site_is_byte_identical_over_processes(medium: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    one = _files(medium, 1)
    assert len(one) > parallel.THRESHOLD
    assert _files(medium, 3) == one
    monkeypatch.setattr(parallel, "cpu_count", lambda: 2)  # the default for a large site: every CPU
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)
    assert parallel.jobs_for(len(one)) == 2
    assert _files(medium, None) == one


def test_spawned_workers_render_the_same_bytes() -> None:
    content = load_content(CONTENT)
    pages = plan_site(content)
    renderer = Renderer(content, environment(TEMPLATES), collect_assets(TEMPLATES), content.site.base_url, TEMPLATES)
    with parallel.rendered(pages, renderer, renderer.page, 2, "spawn") as htmls:
        assert list(htmls) == [renderer.page(page) for page in pages]


def _failing_templates(tmp_path: Path) -> Path:
    """Templates whose year pages of the second half of the units fail, with a message naming the page."""
    broken = tmp_path / "templates"
    shutil.copytree(TEMPLATES, broken)
    year = broken / "year.html"
    fail = "{% if page.route.split('/')[2] >= 'unit-012' %}{{ {}[page.route] }}{% endif %}"
    text = year.read_text(encoding="utf-8").replace("{% block main %}", "{% block main %}" + fail, 1)
    year.write_text(text, encoding="utf-8")
    return broken


@pytest.mark.skipif(not CAN_FORK, reason="no fork on this system")
def test_template_error_is_the_first_in_page_order(medium: Path, tmp_path: Path) -> None:
    broken = _failing_templates(tmp_path)
    raised = []
    for jobs in (1, 4):
        with pytest.raises(ContentErrors) as info:
            _files(medium, jobs, templates=broken)
        raised.append(info.value)
    assert str(raised[0]) == str(raised[1])
    assert raised[0].errors == raised[1].errors
    assert "year.html" in str(raised[1]) and "zh/units/unit-012/2021/" in str(raised[1])  # a chunk in the middle


def test_incremental_builds_stay_in_one_process(medium: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("serve's builder started worker processes")

    monkeypatch.setattr(parallel, "_pool", refuse)
    monkeypatch.setenv(parallel.JOBS_VARIABLE, "4")
    SiteBuilder(medium, TEMPLATES).build()


STATE = "as a worker that did not fork starts"


def _state(_: int) -> str:
    return STATE


@pytest.mark.skipif(not CAN_FORK, reason="no fork on this system")
def test_mapped_workers_fork_though_a_thread_starts_before_the_results_are_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The office files: tqdm's progress bar starts its monitor thread when it wraps the results, and a pool
    started only then could no longer fork (it would spawn, pickling everything, on every terminal build)."""
    already, count = threading.active_count(), threading.active_count  # threads other tests may have left
    monkeypatch.setattr(parallel.threading, "active_count", lambda: count() - already + 1)
    monkeypatch.setattr(sys.modules[__name__], "STATE", "inherited from the parent")
    results = parallel.mapped(_state, [1, 2, 3, 4], jobs=2)
    monitor = threading.Thread(target=time.sleep, args=(0.5,))
    monitor.start()
    try:
        assert list(results) == ["inherited from the parent"] * 4
    finally:
        monitor.join()


def test_jobs_asked_and_decided(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "cpu_count", lambda: 8)
    monkeypatch.setattr(parallel, "start_method", lambda: "fork")
    assert parallel.jobs_for(parallel.THRESHOLD - 1, environ={}) == 1  # small: one process
    assert parallel.jobs_for(parallel.THRESHOLD, environ={}) == 8
    assert parallel.jobs_for(5000, environ={"SITEGEN_JOBS": "1"}) == 1
    assert parallel.jobs_for(50, environ={"SITEGEN_JOBS": "3"}) == 3  # asked: also for a small site
    assert parallel.jobs_for(5000, 2, environ={"SITEGEN_JOBS": "1"}) == 2  # -j wins over the variable
    assert parallel.jobs_for(5000, environ={"SITEGEN_JOBS": "many"}) == 8  # not a number: decided by size
    assert parallel.jobs_for(2, 8, environ={}) == 2  # never more processes than pages
    monkeypatch.setattr(parallel, "start_method", lambda: "spawn")
    assert parallel.jobs_for(5000, environ={}) == 1  # cannot fork: one process unless asked


def test_chunks_cover_every_page_once_in_order() -> None:
    for count in (1, 2, 7, 200, 711):
        for jobs in (1, 2, 3, 8):
            pieces = parallel.chunks(count, jobs)
            assert [i for piece in pieces for i in piece] == list(range(count))
