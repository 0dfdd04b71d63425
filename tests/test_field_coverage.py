"""Every fact shows: each field an editor fills in appears on a public page in both languages, or is declared.

The walk covers every field of every content file of the example site and of a site made by
``sitegen init``. A field passes when its value, formatted as pages format it (a figure by its
indicator, a date as 2021年7月26日 / 26 July 2021, a reference as the name it refers to, a label as
its interface text), is found in the Chinese pages (Chinese text and untranslated text) and in the
English pages (English text, or the Chinese where there is no translation), or when
:mod:`sitegen.content.fields` declares it internal, with its reason.
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter

from sitegen.content import fields
from sitegen.content.indicators import BY_ID
from sitegen.content.loader import load_content
from sitegen.content.model import Content
from sitegen.content.quantity import Amount, Count, Quantity
from sitegen.content.values import parse_date
from sitegen.site import figures as fig
from sitegen.site.i18n import LOCALES, STRINGS
from sitegen.site.pipeline import build

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates"
COUNT, AMOUNT = TypeAdapter(Count), TypeAdapter(Amount)
DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}(?: \d{1,2}:\d{2})?$")

MEASURED: dict[str, tuple[str, ...]] = {
    "year:events.[].participants": ("participants", "online_reach"),
    "year:events.[].materials": ("materials_distributed",),
    "year:trainings.[].sessions": ("trainings",),
    "year:trainings.[].participants": ("people",),
    "year:trainings.[].hours": ("hours",),
    "year:trainings.[].average_score": ("exam_average_score",),
    "year:trainings.[].pass_rate": ("exam_pass_rate",),
    "year:funding.items.[].amount": ("funding",),
    "year:funding.budget": ("budget",),
}
"""Numeric fields outside ``figures:``/``totals:`` and how pages format them (indicator ids or units)."""


def kind_of(path: Path, root: Path) -> str:
    rel = path.relative_to(root).as_posix()
    if rel in ("site.yaml", "observances.yaml", "periods.yaml"):
        return rel.removesuffix(".yaml")
    if rel.startswith("news/"):
        return "news"
    if rel.endswith("/unit.yaml"):
        return "unit"
    return "year" if path.stem.isdigit() else "period"


Leaf = tuple[tuple[str, ...], str, Any, Any]


def leaves(data: Any, path: tuple[str, ...] = (), parent: Any = None, item: Any = None) -> Iterator[Leaf]:
    """``(path, value, the mapping or list holding it, the outermost list item it is in)`` for every scalar."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from leaves(value, (*path, str(key)), data, item)
    elif isinstance(data, list):
        for value in data:
            yield from leaves(value, (*path, "[]"), data, item if item is not None else value)
    elif data is not None:
        yield path, str(data), parent, item


def used_definitions(content: Content) -> set[str]:
    """Ids of the definitions (observances, campaigns, kinds, periods) that some record refers to.

    A definition nothing refers to is vocabulary (the starter defines the usual observance days), not a
    fact an office reported: it shows wherever a record uses it, and is not looked for otherwise."""
    used = {p.id for u in content.units for p in fig.periods_with_data(content, u)}
    used |= {content.current_period.id} if content.current_period else set()
    for unit in content.units:
        for year in unit.years.values():
            used |= {x for e in year.record.events for x in (e.observance, e.campaign, e.kind) if x}
        for record in unit.periods.values():
            used |= {*record.record.observances, *record.record.campaigns}
    return used


def page_text(files: dict[str, bytes], lang: str) -> str:
    """Every HTML page of ``lang`` as one text (tags dropped, meta tags' content kept), entities decoded."""
    parts = []
    for name, data in files.items():
        if name.endswith(".html") and (name.startswith(lang + "/") or (lang == "zh" and "/" not in name)):
            page = data.decode("utf-8")
            parts += re.findall(r'(?:content|href)="([^"]*)"', page)  # meta tags and link targets count
            parts.append(re.sub(r"<[^>]+>", "", page))  # text across inline marks such as <span lang="zh-CN">
    return re.sub(r"\s+", " ", html.unescape("\n".join(parts)))


def node(data: Any, path: tuple[str, ...]) -> Any:
    """The value at ``path`` (``[]`` steps are not followed: only used for paths without lists)."""
    for step in path:
        data = data[step]
    return data


def expected(
    content: Content, kind: str, path: tuple[str, ...], raw: str, data: Any, parent: Any
) -> dict[str, list[str]]:
    """What must appear, per language (any one of the forms listed)."""
    dotted = ".".join(path)
    key = f"{kind}:{dotted}"
    if ref := fields.reference(kind, dotted):
        names = {"observances": content.observances, "campaigns": content.campaigns, "kinds": content.kinds}[ref]
        found = next(item for item in names if item.id == raw)
        texts = [found.name] + [n for n in getattr(found, "names", [])]
        return {lang: [LOCALES[lang].text(t) for t in texts] for lang in ("zh", "en")}
    if name := fields.label(kind, dotted):
        texts = {lang: LOCALES[lang].t(name.format(raw)) for lang in ("zh", "en")}
        if "{n}" in texts["zh"]:  # a norm: 每年不少于2 / at least 2 (the measure word follows)
            return {lang: [text.split("{n}")[0] + parent["minimum"]] for lang, text in texts.items()}
        return {lang: [text] for lang, text in texts.items()}
    figure = _figure(kind, path, data)
    if figure is not None:
        indicator, quantity = figure
        return {lang: [LOCALES[lang].value(quantity, indicator)] for lang in ("zh", "en")}
    if key in MEASURED:
        q = AMOUNT.validate_python(raw)
        return {lang: [_format(lang, q, m) for m in MEASURED[key]] for lang in ("zh", "en")}
    if DATE.match(raw):
        day = parse_date(raw.split(" ")[0])
        return {lang: [LOCALES[lang].date(day), raw, day.isoformat()] for lang in ("zh", "en")}
    text = re.sub(r"\s+", " ", raw.strip())
    if path[-1] == "zh":
        return {"zh": [text], "en": [text] if not (isinstance(parent, dict) and parent.get("en")) else []}
    if path[-1] == "en":
        return {"en": [text]}
    return {"zh": [text], "en": [text]}


def _figure(kind: str, path: tuple[str, ...], data: Any) -> tuple[str, Quantity] | None:
    """A reported figure: ``figures.<indicator>`` or ``totals.<indicator>[.value, .span.zh …]``."""
    if kind not in ("year", "period") or len(path) < 2 or path[0] not in ("figures", "totals"):
        return None
    indicator = BY_ID[path[1]]
    adapter = COUNT if indicator.whole else AMOUNT
    return indicator.id, adapter.validate_python(node(data, path[:2]))


def _format(lang: str, q: Quantity, measure: str) -> str:
    loc = LOCALES[lang]
    return loc.value(q, measure) if measure in BY_ID else loc.quantity(q, measure)


def missing_fields(root: Path, files: dict[str, bytes]) -> list[str]:
    content = load_content(root)
    text = {lang: page_text(files, lang) for lang in ("zh", "en")}
    used = used_definitions(content)
    problems = []
    for doc_path, doc in sorted(content.documents.items()):
        kind = kind_of(doc_path, root)
        only = _news_language(doc_path)
        for path, raw, parent, item in leaves(doc.data):
            dotted = ".".join(path)
            if fields.internal(kind, dotted):
                continue
            if kind in ("observances", "periods") and isinstance(item, dict) and item.get("id") not in used:
                continue
            for lang, forms in expected(content, kind, path, raw, doc.data, parent).items():
                if only and lang not in only:
                    continue
                if forms and not any(form and form in text[lang] for form in forms):
                    problems.append(f"{doc_path.relative_to(root)}: {dotted} = {raw!r} not on any {lang} page")
    return problems


def _news_language(path: Path) -> tuple[str, ...]:
    """A news item's front matter: the .en.md file shows on English pages; the .zh.md on Chinese pages,
    and on English pages too while there is no translation. Other files: ``()`` (both languages)."""
    if not path.name.endswith(".md"):
        return ()
    if path.name.endswith(".en.md"):
        return ("en",)
    translated = path.with_name(path.name.removesuffix(".zh.md") + ".en.md").exists()
    return ("zh",) if translated else ("zh", "en")


def test_every_field_of_the_example_shows_or_is_declared(tmp_path: Path) -> None:
    files = build(ROOT / "content", tmp_path / "out", templates=TEMPLATES, write=False).files
    assert missing_fields(ROOT / "content", files) == []


def test_every_field_of_a_new_site_shows_or_is_declared(tmp_path: Path) -> None:
    site = tmp_path / "office"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    subprocess.run(
        [sys.executable, "-m", "sitegen", "init", str(site), "--yes"], check=True, capture_output=True, env=env
    )
    files = build(site / "content", tmp_path / "out", templates=TEMPLATES, write=False).files
    assert missing_fields(site / "content", files) == []


def test_the_walk_finds_a_fact_that_is_not_shown(tmp_path: Path) -> None:
    """The walk is real: a field that no page shows is reported."""
    files = build(ROOT / "content", tmp_path / "out", templates=TEMPLATES, write=False).files
    stripped = {name: data.replace("红旗社区".encode(), b"") for name, data in files.items()}
    problems = missing_fields(ROOT / "content", stripped)
    assert any("location.zh = '红旗社区'" in p for p in problems)


@pytest.mark.parametrize("name", sorted({*fields.LABELS.values()}))
def test_labels_exist(name: str) -> None:
    stems = {key.rsplit("_", 1)[0] + "_{}" if "{}" in name else key for key in STRINGS}
    assert name in stems or name in STRINGS
