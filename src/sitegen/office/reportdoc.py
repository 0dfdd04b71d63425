"""A report page or a year page as a 公文 (:class:`~sitegen.office.gongwen.GongwenDocument`), from the same data.

The document carries what the page carries: the report's sections in the order of DOMAIN.md, each with its
facts (leading group, systems, norms, laws studied, media, occasions), its indicators as a table of figures
written as offices write them ("1000余册", "96分以上") and its narrative, with placeholders filled in as on
the page; a year's figures, events, trainings and funding. Charts become tables of their figures, never
images. :func:`figure_rows` is the one place that turns figures into table rows, so the page, the DOCX
and the XLSX show the same strings (``tests/test_exports.py`` compares them).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence

from ..content.indicators import BY_ID, GROUPS, HEADLINE, by_group
from ..content.model import REPORT_SECTIONS, Content, Period, Unit
from ..content.quantity import Quantity
from ..site import unitpages  # the module: unitpages imports this package's downloads in turn
from ..site.figures import PeriodFigures, YearFigures
from ..site.i18n import LOCALES, Locale
from .gongwen import Block, FigureTable, GongwenDocument, Paragraph, Section
from .narrative import html_blocks


def figure_rows(values: Iterable[tuple[str, Quantity]], loc: Locale) -> tuple[tuple[str, str], ...]:
    """``(indicator name, value as written)`` rows: ``("发放宣传资料", "1000余册")``."""
    return tuple((loc.figure(key), loc.value(q, key)) for key, q in values)


def yearly_rows(figures: PeriodFigures, loc: Locale) -> tuple[tuple[str, ...], ...]:
    """One row per headline indicator with a value: its name, each year's value, the period's value."""
    rows = []
    for indicator in HEADLINE:
        total = figures.total(indicator.id)
        if total is None:
            continue
        years = [loc.value(v, indicator.id) for v in figures.series(indicator.id)]
        rows.append((loc.figure(indicator.id), *years, loc.value(total, indicator.id)))
    return tuple(rows)


def report_document(
    content: Content, unit: Unit, period: Period, figures: PeriodFigures, lang: str, narratives: Mapping[str, str]
) -> GongwenDocument:
    """The five-year summary of ``unit`` for ``period`` as a 公文; ``narratives`` are the report page's sections
    as it rendered them (section key → HTML), so the document says what the page says."""
    loc = LOCALES[lang]
    unit_period = unit.periods.get(period.id)
    record = unit_period.record if unit_period else None
    facts = unitpages.report_facts(record, figures, ())
    preamble: list[Block] = [*_narrative(narratives.get("overview"))]
    head = (loc.t("key_figures"), *map(str, period.years), loc.t("total"))
    if rows := yearly_rows(figures, loc):
        preamble.append(FigureTable(loc.t("key_figures"), head, rows))
    sections = []
    for key in REPORT_SECTIONS:
        if key == "overview" or (key not in narratives and key not in facts):
            continue
        blocks = [*_facts(key, record, content, period, loc)]
        for group, items in facts.get(key, []):
            caption = loc.group(group)
            blocks.append(FigureTable(caption, (caption, loc.t("total")), figure_rows(_ids(items), loc)))
        blocks += _narrative(narratives.get(key))
        if blocks:
            sections.append(Section(loc.section(key), tuple(blocks)))
    day = record.published.day if record and record.published else datetime.date(_last_year(figures, period), 12, 31)
    return GongwenDocument(
        title=_title(unit, period, loc),
        sections=tuple(sections),
        signature=loc.text(unit.info.name),
        date=day,
        lang=lang,  # type: ignore[arg-type]
        preamble=tuple(preamble),
    )


def year_document(
    content: Content, unit: Unit, year: int, figures: YearFigures, lang: str, narrative: str | None
) -> GongwenDocument:
    """A unit's annual summary as a 公文: the narrative (as the year page rendered it), figures, events,
    trainings, funding."""
    loc = LOCALES[lang]
    record = unit.years[year].record
    preamble = _narrative(narrative)
    sections = [Section(loc.t("key_figures"), tuple(_group_tables(figures.values, loc)))]
    if record.events:
        rows = tuple(
            (loc.date(e.date), loc.text(e.title), loc.value(e.participants, "participants") if e.participants else "—")
            for e in sorted(record.events, key=lambda e: e.date)
        )
        head = (loc.t("date"), loc.t("title"), loc.t("participants"))
        sections.append(Section(loc.t("events"), (FigureTable(loc.t("events"), head, rows),)))
    if record.trainings:
        rows = tuple(
            (loc.date(t.date), loc.text(t.title), loc.quantity(t.participants, "people"))
            for t in sorted(record.trainings, key=lambda t: t.date)
        )
        head = (loc.t("date"), loc.t("title"), loc.t("participants"))
        sections.append(Section(loc.t("trainings"), (FigureTable(loc.t("trainings"), head, rows),)))
    if record.funding and record.funding.items:
        rows = tuple((loc.text(i.title), loc.value(i.amount, "funding")) for i in record.funding.items)
        total = (loc.t("total"), loc.value(figures.figure("funding"), "funding"))
        head = (loc.t("title"), loc.t("funding"))
        sections.append(Section(loc.t("funding"), (FigureTable(loc.t("funding"), head, (*rows, total)),)))
    name = loc.text(unit.info.short_name or unit.info.name)
    title = f"{name}{year}年普法工作总结" if lang == "zh" else f"{name}: Law-Popularization Work in {year}"
    return GongwenDocument(
        title=title,
        sections=tuple(sections),
        signature=loc.text(unit.info.name),
        date=datetime.date(year, 12, 31),
        lang=lang,  # type: ignore[arg-type]
        preamble=tuple(preamble),
    )


def _group_tables(values, loc: Locale) -> Iterable[FigureTable]:
    for group, items in by_group(values):
        caption = loc.group(group)
        yield FigureTable(caption, (caption, loc.t("total")), figure_rows(_ids(items), loc))


def _ids(items) -> list[tuple[str, Quantity]]:
    return [(indicator.id, q) for indicator, q in items]


def _title(unit: Unit, period: Period, loc: Locale) -> str:
    name = loc.text(unit.info.short_name or unit.info.name)
    if loc.lang == "zh":
        short = period.name.zh.removesuffix("普法")
        return f"{name}“{short}”普法工作总结" if short != period.name.zh else f"{name}{period.name.zh}工作总结"
    return f"{name}: Summary of the {loc.text(period.name)}"


def _last_year(figures: PeriodFigures, period: Period) -> int:
    years = [y.year for y in figures.years if y is not None]
    return max(years) if years else period.end


def _narrative(html: str | None) -> list[Block]:
    """A narrative as the page rendered it (placeholders filled in, within the Markdown limits) as blocks."""
    return list(html_blocks(html)) if html else []


def _facts(key: str, record, content: Content, period: Period, loc: Locale) -> list[Block]:
    """The section's own facts as paragraphs (the same facts the report page lists)."""
    if record is None:
        return []
    colon, sep = loc.t("colon"), ("、" if loc.lang == "zh" else ", ")
    lines: list[str] = []
    if key == "leadership" and (g := record.leading_group):
        lines.append(loc.t("group_head") + colon + loc.text(g.head))
        lines += [loc.t("group_members") + colon + loc.text(g.members)] if g.members else []
        lines += [loc.t("established_in") + colon + str(g.established)] if g.established else []
        lines += [loc.t("adjusted_in") + colon + sep.join(map(str, g.adjusted))] if g.adjusted else []
        lines += [loc.t("group_staff") + colon + loc.text(g.staff)] if g.staff else []
    if key == "systems":
        lines += [loc.text(s.name) + (colon + loc.text(s.description) if s.description else "") for s in record.systems]
        lines += [loc.text(n.title) + colon + _norm(n, loc) for n in record.norms]
    if key == "study" and record.laws_studied:
        lines.append(loc.t("laws_studied") + colon + sep.join(loc.text(t) for t in record.laws_studied))
    if key == "publicity":
        names = {o.id: o.name_in(period.end) for o in content.observances} | {c.id: c.name for c in content.campaigns}
        occasions = [loc.text(names[i]) for i in (*record.observances, *record.campaigns) if i in names]
        lines += [loc.t("occasions_marked") + colon + sep.join(occasions)] if occasions else []
        lines += [loc.t("media_used") + colon + sep.join(loc.text(m) for m in record.media)] if record.media else []
    return [Paragraph.plain(line) for line in lines]


def _norm(norm, loc: Locale) -> str:
    amount = loc.quantity(norm.minimum) + ((" " if loc.lang == "en" else "") + loc.text(norm.unit) if norm.unit else "")
    return loc.t("norm_" + norm.per, n=amount)


def section_keys(doc: GongwenDocument) -> Sequence[str]:
    """The section headings of a document (for tests and the page comparison)."""
    return tuple(s.heading for s in doc.sections)


__all__ = ["BY_ID", "GROUPS", "figure_rows", "report_document", "section_keys", "year_document", "yearly_rows"]
