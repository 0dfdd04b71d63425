"""Loading the content directory into a validated :class:`~sitegen.model.Content`.

The layout it reads::

    content/site.yaml                      SiteConfig
    content/periods.yaml                   PeriodsFile
    content/observances.yaml               ObservancesFile (optional)
    content/units/<unit>/unit.yaml         UnitInfo
    content/units/<unit>/<year>.yaml       YearRecord         (2021.yaml)
    content/units/<unit>/<year>.<lang>.md  the year's narrative (2021.zh.md, 2021.en.md)
    content/units/<unit>/<period>.yaml     PeriodRecord       (qiwu.yaml)
    content/units/<unit>/<period>/<section>.<lang>.md   report narrative (qiwu/leadership.zh.md)
    content/news/<id>.zh.md                a news item; <id>.en.md is its translation

Every file is read even after an error elsewhere, so that one run reports everything.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field, replace
from datetime import time
from pathlib import Path
from types import MappingProxyType
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel
from pydantic_core import PydanticCustomError

from . import integrity, placeholders, safefs
from .errors import ContentError, ContentErrors, make_error
from .model import (
    LANGUAGES,
    REPORT_SECTIONS,
    Content,
    Markdown,
    Narrative,
    NarrativeMeta,
    NewsItem,
    NewsMeta,
    NewsTranslationMeta,
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
from .validation import validate_document
from .values import check_slug, messages
from .yamlsource import MarkdownSource, YamlDocument, parse_yaml, read_source, split_front_matter

M = TypeVar("M", bound=BaseModel)

ROOT_FILES = ("site.yaml", "periods.yaml", "observances.yaml")
ROOT_DIRS = ("units", "news", "static")
_YEAR = re.compile(r"^(\d{4})\.yaml$")
_YEAR_NARRATIVE = re.compile(r"^(\d{4})\.(zh|en)\.md$")
_SECTION = re.compile(r"^([a-z]+)\.(zh|en)\.md$")
_NEWS = re.compile(r"^(.+)\.(zh|en)\.md$")


def is_ignored(path: Path) -> bool:
    """Editor backups, temp files and hidden files are not content."""
    name = path.name
    return (
        name.startswith((".", "~", "#"))
        or name.endswith(("~", ".swp", ".swx", ".tmp", ".bak", ".orig"))
        or name in ("Thumbs.db", "desktop.ini", "README.md", "4913")
    )


FileResult = tuple[Any, tuple[ContentError, ...], dict[Path, YamlDocument]]
"""What reading one file gave: the value, its problems and its parsed YAML documents."""


class FileCache(Protocol):
    """What reading a file gave, kept while it is unchanged (``serve``: :class:`sitegen.incremental.LoadCache`)."""

    def get(self, path: Path, kind: Hashable, read: Callable[[], FileResult]) -> FileResult:
        """``read()``, or what it returned for ``(path, kind)`` if the file has not changed since."""
        ...


@dataclass
class Loader:
    """Reads files under ``root``, collecting every problem in ``errors``."""

    root: Path
    errors: list[ContentError] = field(default_factory=list)
    documents: dict[Path, YamlDocument] = field(default_factory=dict)
    cache: FileCache | None = None
    refused: set[Path] = field(default_factory=set)
    """Paths never to read or enter: links out of the folder, dangling links, devices, FIFOs, sockets."""

    def fail(self, path: Path, zh: str, en: str, line: int = 0) -> None:
        self.errors.append(make_error(path, line, 0, zh, en))

    def listdir(self, folder: Path) -> list[Path]:
        """Content entries of ``folder``, sorted, without ignored files; those that must not be read
        or entered (:func:`sitegen.safefs.listdir`) are reported once and left out."""
        if folder in self.refused:
            return []
        found, refused = safefs.listdir(folder, self.root, is_ignored)
        for path, error in refused.items():
            if path not in self.refused:
                self.refused.add(path)
                self.errors.append(error)
        return found

    @staticmethod
    def has(path: Path) -> bool:
        """Something is at ``path``: a file, or a link or special file that reading will refuse."""
        return os.path.lexists(path)

    def cached(self, path: Path, kind: Hashable, read: Callable[[Loader], Any]) -> Any:
        """``read(loader)`` for one file, through the cache if any: on a fresh loader, so that the
        file's problems and documents are kept with its value and replayed while it is unchanged."""
        if self.cache is None:
            return read(self)

        def fresh() -> FileResult:
            part = Loader(self.root)
            return read(part), tuple(part.errors), dict(part.documents)

        value, errors, documents = self.cache.get(path, kind, fresh)
        self.errors.extend(errors)
        self.documents.update(documents)
        return value

    def yaml(self, path: Path, model: type[M], *, allow_empty: bool = False) -> M | None:
        """Read, parse and validate one YAML file."""
        if path in self.refused:
            return None
        return self.cached(path, ("yaml", model, allow_empty), lambda part: part._read_yaml(path, model, allow_empty))

    def _read_yaml(self, path: Path, model: type[M], allow_empty: bool) -> M | None:
        try:
            doc = parse_yaml(read_source(path, self.root))
        except ContentErrors as exc:
            self.errors.extend(exc.errors)
            return None
        self.documents[path] = doc
        if doc.data is None and not allow_empty:
            self.fail(
                path,
                "文件是空的（或只有注释）。请填写内容，或删除这个文件。",
                "The file is empty (or holds only comments). Fill it in or delete it.",
                line=1,
            )
            return None
        return validate_document(model, doc, self.errors)

    def markdown(self, path: Path, meta_model: type[M]) -> tuple[M | None, Markdown] | None:
        """Read a Markdown file and validate its front matter (if any)."""
        if path in self.refused:
            return None
        return self.cached(path, ("markdown", meta_model), lambda part: part._read_markdown(path, meta_model))

    def _read_markdown(self, path: Path, meta_model: type[M]) -> tuple[M | None, Markdown] | None:
        try:
            md: MarkdownSource = split_front_matter(read_source(path, self.root))
        except ContentErrors as exc:
            self.errors.extend(exc.errors)
            return None
        meta = None
        if md.meta is not None:
            self.documents[path] = md.meta
            meta = validate_document(meta_model, md.meta, self.errors)
        return meta, Markdown(md.body, path, md.body_line)

    def unknown(self, path: Path, expected_zh: str, expected_en: str, options: list[str] = ()) -> None:
        close = difflib.get_close_matches(path.name, list(options), n=1, cutoff=0.6)
        hint_zh = f"是否想写“{close[0]}”？" if close else ""
        hint_en = f'Did you mean "{close[0]}"? ' if close else ""
        self.fail(
            path,
            f"不认识的文件或文件夹“{path.name}”。{hint_zh}这里应是：{expected_zh}",
            f'Unknown file or folder "{path.name}". {hint_en}Expected here: {expected_en}',
        )


def period_ids(root: Path) -> list[str]:
    """The period ids of ``root/periods.yaml``, or ``[]`` when it cannot be read."""
    loader = Loader(Path(root))
    path = Path(root) / "periods.yaml"
    periods = loader.yaml(path, PeriodsFile) if path.is_file() else None
    return [p.id for p in periods.periods] if periods else []


def load_content(root: Path, cache: FileCache | None = None) -> Content:
    """Read and validate the content under ``root``.

    Raises :class:`ContentErrors` with every problem found, sorted by file and line.
    ``cache`` lets a rebuild reuse what unchanged files gave last time.
    """
    root = Path(root)
    loader = Loader(root, cache=cache)
    if not loader.has(root / "site.yaml"):
        loader.fail(
            root / "site.yaml",
            f"找不到网站配置文件 site.yaml。“{root}”是内容文件夹吗？",
            f'site.yaml is missing. Is "{root}" the content folder?',
        )
        raise ContentErrors(loader.errors)
    _check_root_entries(loader)
    site = loader.yaml(root / "site.yaml", SiteConfig)
    periods = loader.yaml(root / "periods.yaml", PeriodsFile) if loader.has(root / "periods.yaml") else None
    if periods is None and not loader.has(root / "periods.yaml"):
        loader.fail(
            root / "periods.yaml",
            "缺少 periods.yaml（普法规划期）。",
            "periods.yaml (plan periods) is missing.",
        )
    observances_path = root / "observances.yaml"
    observances = (
        loader.yaml(observances_path, ObservancesFile, allow_empty=True) if loader.has(observances_path) else None
    ) or ObservancesFile()
    period_ids = [p.id for p in periods.periods] if periods else []
    units = _load_units(loader, root / "units", period_ids)
    news = _load_news(loader, root / "news")
    if site is None or periods is None:
        raise ContentErrors(loader.errors)
    content = Content(
        root=root,
        site=site,
        periods=tuple(periods.periods),
        observances=tuple(observances.observances),
        campaigns=tuple(observances.campaigns),
        kinds=tuple(observances.kinds),
        units=tuple(sorted(units, key=lambda u: (u.info.order, u.id))),
        news=tuple(sorted(news, key=lambda n: (n.meta.date.day, n.meta.date.clock or time.min, n.id), reverse=True)),
    )
    loader.errors.extend(integrity.check(content, loader.documents))
    loader.errors.extend(placeholders.check(content, loader.documents))  # warnings: 待填写, sample values
    if any(e.severity == "error" for e in loader.errors):
        raise ContentErrors(loader.errors)
    warnings = tuple(sorted(loader.errors, key=ContentError.sort_key))
    return replace(content, warnings=warnings, documents=MappingProxyType(dict(loader.documents)))


def _check_root_entries(loader: Loader) -> None:
    for path in loader.listdir(loader.root):
        if (path.is_dir() and path.name in ROOT_DIRS) or (path.is_file() and path.name in ROOT_FILES):
            continue
        loader.unknown(
            path,
            "site.yaml、periods.yaml、observances.yaml，以及 units、news、static 文件夹。",
            "site.yaml, periods.yaml, observances.yaml and the folders units, news, static.",
            [*ROOT_FILES, *ROOT_DIRS],
        )


# --------------------------------------------------------------------------- units


def _load_units(loader: Loader, folder: Path, period_ids: list[str]) -> list[Unit]:
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
        unit = _load_unit(loader, path, period_ids)
        if unit is not None:
            units.append(unit)
    return units


def _load_unit(loader: Loader, folder: Path, period_ids: list[str]) -> Unit | None:
    entries = loader.listdir(folder)  # first: what must not be read is known before unit.yaml is
    if not loader.has(folder / "unit.yaml"):
        loader.fail(
            folder / "unit.yaml",
            "单位文件夹里缺少 unit.yaml（单位名称等信息）。",
            "The unit folder has no unit.yaml (the unit's name and details).",
        )
        return None
    info = loader.yaml(folder / "unit.yaml", UnitInfo)
    years: dict[int, UnitYear] = {}
    periods: dict[str, UnitPeriod] = {}
    narratives: dict[int, dict[str, Markdown]] = {}
    expected = ["unit.yaml", *(f"{p}.yaml" for p in period_ids)]
    for path in entries:
        name = path.name
        if name == "unit.yaml":
            continue
        if path.is_dir() and path.name not in period_ids:
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
        elif path.suffix == ".yaml" and path.stem in period_ids:
            record = loader.yaml(path, PeriodRecord)
            if record is not None:
                sections = _load_sections(loader, folder / path.stem)
                periods[path.stem] = UnitPeriod(path.stem, record, sections, path)
        elif path.is_dir() and path.name in period_ids:
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
                "unit.yaml、年度文件（如 2021.yaml、2021.zh.md）、规划期文件（如 "
                + "、".join(f"{p}.yaml" for p in period_ids)
                + "）。",
                "unit.yaml, year files (2021.yaml, 2021.zh.md, 2021.en.md) or period files ("
                + ", ".join(f"{p}.yaml" for p in period_ids)
                + ").",
                expected,
            )
    for year, texts in narratives.items():
        narrative = Narrative(zh=texts.get("zh"), en=texts.get("en"))
        if year in years:
            years[year] = UnitYear(year, years[year].record, narrative, years[year].path)
        else:
            years[year] = UnitYear(year, YearRecord(), narrative, folder / f"{year}.yaml")
    if info is None:
        return None
    return Unit(folder.name, info, dict(sorted(years.items())), dict(sorted(periods.items())))


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


# --------------------------------------------------------------------------- news


def _load_news(loader: Loader, folder: Path) -> list[NewsItem]:
    if not folder.is_dir():
        return []
    found: dict[str, dict[str, Path]] = {}
    for path in loader.listdir(folder):
        m = _NEWS.match(path.name)
        if not m or not path.is_file():
            loader.unknown(
                path,
                "新闻文件，如 2021-07-26-summary.zh.md。",
                "news files such as 2021-07-26-summary.zh.md.",
            )
            continue
        found.setdefault(m[1], {})[m[2]] = path
    items = []
    for news_id, paths in sorted(found.items()):
        item = _load_news_item(loader, news_id, paths)
        if item is not None:
            items.append(item)
    return items


def _load_news_item(loader: Loader, news_id: str, paths: dict[str, Path]) -> NewsItem | None:
    if "zh" not in paths:
        loader.fail(
            paths["en"],
            f"只有英文稿，缺少中文稿 {news_id}.zh.md（中文版为准）。",
            f"There is an English text but no Chinese {news_id}.zh.md (the Chinese version prevails).",
        )
        return None
    try:
        check_slug(news_id)
    except PydanticCustomError as exc:
        loader.fail(paths["zh"], *messages(exc))
        return None
    zh = _news_part(loader, paths["zh"], NewsMeta)
    en = _news_part(loader, paths["en"], NewsTranslationMeta) if "en" in paths else None
    if zh is None:
        return None
    meta, body = zh
    return NewsItem(news_id, meta, body, en[0] if en else None, en[1] if en else None, paths["zh"])


def _news_part(loader: Loader, path: Path, model: type[M]) -> tuple[M, Markdown] | None:
    loaded = loader.markdown(path, model)
    if loaded is None:
        return None
    meta, body = loaded
    if meta is None and path not in loader.documents:
        loader.fail(
            path,
            "新闻文件开头缺少“---”包围的标题、日期、来源等信息。",
            'The news file must start with front matter between "---" lines: title, date, source.',
            line=1,
        )
        return None
    return (meta, body) if meta is not None else None
