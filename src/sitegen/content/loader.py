"""Loading the content directory into a validated :class:`~sitegen.content.model.Content`.

The layout it reads::

    content/site.yaml                      SiteConfig
    content/periods.yaml                   PeriodsFile
    content/observances.yaml               ObservancesFile (optional)
    content/units/<unit>/unit.yaml         UnitInfo
    content/units/<unit>/<year>.yaml       YearRecord         (2021.yaml)
    content/units/<unit>/<year>.<lang>.md  the year's narrative (2021.zh.md, 2021.en.md)
    content/units/<unit>/<period>.yaml     PeriodRecord       (qiwu.yaml)
    content/units/<unit>/<period>/<section>.<lang>.md   report narrative (qiwu/leadership.zh.md)
    content/news/<id>.zh.md                a news item; <id>.en.md is its translation (:mod:`newsloader`)
    content/files/, content/news/images/   attachments and pictures that news items name (:mod:`attachments`)

Every file is read even after an error elsewhere, and the checks across files run on everything that
validated (and on the valid part of what did not), so that one run reports everything; a file whose
own errors are reported causes none elsewhere (:mod:`sitegen.content.integrity`).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from datetime import date, time
from functools import partial
from pathlib import Path
from types import MappingProxyType

from pydantic_core import PydanticCustomError

from ..errors import ContentError, ContentErrors
from . import activeperiod, figurecheck, integrity, placeholders, siteimages
from .fileloader import FileCache, FileResult, Loader, YamlCache, is_ignored
from .integrity import Parts, Registry
from .model import (
    LANGUAGES,
    REPORT_SECTIONS,
    Content,
    Markdown,
    Narrative,
    NarrativeMeta,
    NewsItem,
    ObservancesFile,
    PeriodRecord,
    PeriodsFile,
    SiteConfig,
    Unit,
    UnitInfo,
    UnitPeriod,
    UnitYear,
    YearRecord,
)
from .newsloader import load_news
from .values import check_slug, messages

__all__ = ["FileCache", "FileResult", "Loader", "is_ignored", "load_content", "period_ids"]

ROOT_FILES = ("site.yaml", "periods.yaml", "observances.yaml")
ROOT_DIRS = ("units", "news", "static", "files")
_YEAR = re.compile(r"^(\d{4})\.yaml$")
_YEAR_NARRATIVE = re.compile(r"^(\d{4})\.(zh|en)\.md$")
_SECTION = re.compile(r"^([a-z]+)\.(zh|en)\.md$")
_PERIOD_ID = re.compile(r"^[a-z][a-z0-9-]*$")

PeriodIds = tuple[str, ...] | None
"""The period ids written in periods.yaml; ``None`` when it could not be read (any id is then taken for one)."""


@dataclass(frozen=True)
class UnitFiles:
    """What a unit folder gave, with ``info`` ``None`` when its unit.yaml is missing or did not validate."""

    id: str
    info: UnitInfo | None
    years: dict[int, UnitYear]
    periods: dict[str, UnitPeriod]

    @functools.cached_property
    def unit(self) -> Unit:
        """The :class:`Unit` (for a folder whose ``info`` validated): one object while ``serve`` reuses the
        folder, so that what later stages keep by the unit's identity holds."""
        assert self.info is not None
        return Unit(self.id, self.info, self.years, self.periods)


def period_ids(root: Path) -> list[str]:
    """The period ids of ``root/periods.yaml``, or ``[]`` when it cannot be read."""
    loader = Loader(Path(root))
    path = Path(root) / "periods.yaml"
    periods = loader.yaml(path, PeriodsFile) if path.is_file() else None
    return [p.id for p in periods.periods] if periods else []


def load_content(
    root: Path, cache: FileCache | None = None, today: date | None = None, parsed: YamlCache | None = None
) -> Content:
    """Read and validate the content under ``root``.

    Raises :class:`ContentErrors` with every problem found, sorted by file and line.
    ``cache`` lets a rebuild reuse what unchanged files gave last time. ``today`` (default: the
    computer's date) gives the status of every period whose status is not written. ``parsed`` keeps parsed
    YAML between builds (``sitegen build``'s cache folder).
    """
    root = Path(root)
    loader = Loader(root, cache=cache, parsed=parsed)
    if not loader.has(root / "site.yaml"):
        loader.fail(
            root / "site.yaml",
            f"找不到网站配置文件 site.yaml。“{root}”是内容文件夹吗？",
            f'site.yaml is missing. Is "{root}" the content folder?',
        )
        raise ContentErrors(loader.errors)
    _check_root_entries(loader)
    site = loader.yaml(root / "site.yaml", SiteConfig)
    if site is not None:
        loader.errors.extend(siteimages.check(site, root, loader.documents))  # the emblem, the 标识 image
    periods = _periods(loader)
    observances_path = root / "observances.yaml"
    observances = (
        loader.yaml(observances_path, ObservancesFile, allow_empty=True) if loader.has(observances_path) else None
    )
    written = Registry.written(loader.documents.get(root / "periods.yaml"), "periods")
    units = _load_units(loader, root / "units", written.ids)
    news = load_news(loader, root / "news")
    parts = _parts(loader, site, periods, observances, units, news)
    loader.errors.extend(integrity.check(parts, loader.documents))
    content = None
    if site is not None and periods is not None:
        content = activeperiod.dated(_content(parts, site, units), today or date.today())
        loader.errors.extend(activeperiod.on_date(content, loader.documents, today or date.today()))
        loader.errors.extend(placeholders.check(content, loader.documents))  # warnings: 待填写, sample values
        loader.errors.extend(figurecheck.check(content, loader.documents))  # reported vs computed figures
        loader.errors.extend(integrity.unit_groups(content, loader.documents))
    if content is None or any(e.severity == "error" for e in loader.errors):
        raise ContentErrors(loader.errors)
    warnings = tuple(sorted(loader.errors, key=ContentError.sort_key))
    return replace(content, warnings=warnings, documents=MappingProxyType(dict(loader.documents)))


def _periods(loader: Loader) -> PeriodsFile | None:
    path = loader.root / "periods.yaml"
    if loader.has(path):
        return loader.yaml(path, PeriodsFile)
    loader.fail(path, "缺少 periods.yaml（普法规划期）。", "periods.yaml (plan periods) is missing.")
    return None


def _parts(
    loader: Loader,
    site: SiteConfig | None,
    periods: PeriodsFile | None,
    observances: ObservancesFile | None,
    units: list[UnitFiles],
    news: list[NewsItem],
) -> Parts:
    """Everything that loaded, and the ids that references may name (:class:`integrity.Registry`)."""
    root, docs = loader.root, loader.documents
    registry = root / "observances.yaml"
    present = loader.has(registry)
    doc = docs.get(registry)
    return Parts(
        root=root,
        site=site,
        periods=tuple(periods.periods) if periods else (),
        periods_complete=periods is not None and not loader.failed(root / "periods.yaml"),
        observances=tuple(observances.observances) if observances else (),
        campaigns=tuple(observances.campaigns) if observances else (),
        kinds=tuple(observances.kinds) if observances else (),
        years=tuple(y for u in units for y in u.years.values()),
        unit_periods=tuple(p for u in units for p in u.periods.values()),
        news=tuple(news),
        period_ids=Registry.written(docs.get(root / "periods.yaml"), "periods"),
        observance_ids=Registry.written(doc, "observances") if present else Registry(()),
        campaign_ids=Registry.written(doc, "campaigns") if present else Registry(()),
        kind_ids=Registry.written(doc, "kinds") if present else Registry(()),
        unit_ids=Registry(tuple(u.id for u in units)),
    )


def _content(parts: Parts, site: SiteConfig, units: list[UnitFiles]) -> Content:
    whole = [u.unit for u in units if u.info is not None]
    return Content(
        root=parts.root,
        site=site,
        periods=parts.periods,
        observances=parts.observances,
        campaigns=parts.campaigns,
        kinds=parts.kinds,
        units=tuple(sorted(whole, key=lambda u: (u.info.order, u.id))),
        news=tuple(
            sorted(parts.news, key=lambda n: (n.meta.date.day, n.meta.date.clock or time.min, n.id), reverse=True)
        ),
    )


def _check_root_entries(loader: Loader) -> None:
    for path in loader.listdir(loader.root):
        if (path.is_dir() and path.name in ROOT_DIRS) or (path.is_file() and path.name in ROOT_FILES):
            continue
        loader.unknown(
            path,
            "site.yaml、periods.yaml、observances.yaml，以及 units、news、static、files（附件）文件夹。",
            "site.yaml, periods.yaml, observances.yaml and the folders units, news, static, files (attachments).",
            [*ROOT_FILES, *ROOT_DIRS],
        )


# --------------------------------------------------------------------------- units


def _is_period(name: str, period_ids: PeriodIds) -> bool:
    return name in period_ids if period_ids is not None else bool(_PERIOD_ID.match(name))


def _load_units(loader: Loader, folder: Path, period_ids: PeriodIds) -> list[UnitFiles]:
    if not folder.is_dir():
        return []
    units = []
    for path in loader.listdir(folder):
        if not path.is_dir():
            loader.unknown(path, "每个单位一个文件夹，例如 units/xinzhou-office/。", "one folder per unit.")
            continue
        try:
            check_slug(path.name)
        except PydanticCustomError as exc:
            loader.fail(path, *messages(exc))
            continue
        units.append(loader.folder(path, ("unit", period_ids), partial(_load_unit, folder=path, period_ids=period_ids)))
    return units


def _load_unit(loader: Loader, *, folder: Path, period_ids: PeriodIds) -> UnitFiles:
    """A unit folder's files; the unit exists (for references) even when its unit.yaml is wrong."""
    entries = loader.listdir(folder)  # first: what must not be read is known before unit.yaml is
    info = None
    if not loader.has(folder / "unit.yaml"):
        loader.fail(
            folder / "unit.yaml",
            "单位文件夹里缺少 unit.yaml（单位名称等信息）。",
            "The unit folder has no unit.yaml (the unit's name and details).",
        )
    else:
        info = loader.yaml(folder / "unit.yaml", UnitInfo)
    years: dict[int, UnitYear] = {}
    periods: dict[str, UnitPeriod] = {}
    narratives: dict[int, dict[str, Markdown]] = {}
    period_files = [f"{p}.yaml" for p in period_ids or ()]
    expected = ["unit.yaml", *period_files]
    for path in entries:
        name = path.name
        if name == "unit.yaml":
            continue
        if path.is_dir() and not _is_period(name, period_ids):
            loader.unknown(
                path,
                "单位文件夹里只能有规划期总结文件夹（如 qiwu/）。",
                "only report folders (such as qiwu/).",
            )
        elif m := _YEAR.match(name):
            record = loader.yaml(path, YearRecord)
            if record is not None:
                years[int(m[1])] = UnitYear(int(m[1]), record, Narrative(), path)
        elif m := _YEAR_NARRATIVE.match(name):
            loaded = loader.markdown(path, NarrativeMeta)
            if loaded:
                narratives.setdefault(int(m[1]), {})[m[2]] = loaded[1]
        elif path.suffix == ".yaml" and _is_period(path.stem, period_ids):
            record = loader.yaml(path, PeriodRecord)
            sections = _load_sections(loader, folder / path.stem)
            if record is not None:
                periods[path.stem] = UnitPeriod(path.stem, record, sections, path)
        elif path.is_dir():
            if not loader.has(folder / f"{path.name}.yaml"):
                loader.fail(
                    path,
                    f"有总结正文文件夹“{path.name}”，但没有对应的 {path.name}.yaml。",
                    f'There is a report folder "{path.name}" but no {path.name}.yaml beside it.',
                )
        elif path.suffix == ".yml":
            loader.fail(path, "请把扩展名 .yml 改为 .yaml。", "Rename the file to end in .yaml instead of .yml.")
        else:
            loader.unknown(
                path,
                "unit.yaml、年度文件（如 2021.yaml、2021.zh.md）、规划期文件（如 " + "、".join(period_files) + "）。",
                "unit.yaml, year files (2021.yaml, 2021.zh.md, 2021.en.md) or period files ("
                + ", ".join(period_files)
                + ").",
                expected,
            )
    for year, texts in narratives.items():
        narrative = Narrative(zh=texts.get("zh"), en=texts.get("en"))
        if year in years:
            years[year] = UnitYear(year, years[year].record, narrative, years[year].path)
        else:
            years[year] = UnitYear(year, YearRecord(), narrative, folder / f"{year}.yaml")
    return UnitFiles(folder.name, info, dict(sorted(years.items())), dict(sorted(periods.items())))


def _load_sections(loader: Loader, folder: Path) -> dict[str, Narrative]:
    if not folder.is_dir():
        return {}
    texts: dict[str, dict[str, Markdown]] = {}
    options = [f"{s}.{lang}.md" for s in REPORT_SECTIONS for lang in LANGUAGES]
    for path in loader.listdir(folder):
        m = _SECTION.match(path.name)
        if not m or m[1] not in REPORT_SECTIONS:
            loader.unknown(
                path,
                "总结各部分的正文，如 leadership.zh.md。可用的部分：" + "、".join(REPORT_SECTIONS) + "。",
                "report sections such as leadership.zh.md. Sections: " + ", ".join(REPORT_SECTIONS) + ".",
                options,
            )
            continue
        loaded = loader.markdown(path, NarrativeMeta)
        if loaded:
            texts.setdefault(m[1], {})[m[2]] = loaded[1]
    return {s: Narrative(zh=texts[s].get("zh"), en=texts[s].get("en")) for s in REPORT_SECTIONS if s in texts}
