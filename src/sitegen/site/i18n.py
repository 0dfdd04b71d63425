"""Interface strings and number/date formats for Chinese and English pages.

Numbers keep their qualifier: ``1000余`` / ``1,000+``, ``96以上`` / ``≥ 96``, ``约300`` /
``about 300``; a value the source hid or garbled says so instead of showing a number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..content.model import Lang
from ..content.values import Number, Quantity, Text, Timestamp

MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

UNITS: dict[str, tuple[str, str]] = {
    "yuan": ("元", "yuan"),
    "person_times": ("人次", "attendances"),
    "events": ("场", "events"),
    "sessions": ("次", "sessions"),
    "copies": ("份", "copies"),
    "volumes": ("册", "volumes"),
    "banners": ("条", "banners"),
    "issues": ("期", "issues"),
    "channels": ("个", "channels"),
    "posts": ("条", "posts"),
    "points": ("分", "points"),
    "percent": ("%", "%"),
    "incidents": ("起", "incidents"),
    "hours": ("学时", "hours"),
}

STRINGS: dict[str, tuple[str, str]] = {
    "home": ("首页", "Home"),
    "news": ("普法动态", "Law-Popularization News"),
    "units": ("单位", "Units"),
    "overview": ("全站概览", "Overview"),
    "reports": ("五年总结", "Five-year summaries"),
    "sitemap": ("网站地图", "Site map"),
    "you_are_here": ("您当前所在的位置：", "You are here: "),
    "published": ("发布时间", "Published"),
    "source": ("来源", "Source"),
    "text_size": ("字号", "Text size"),
    "size_large": ("大", "Large"),
    "size_medium": ("中", "Medium"),
    "size_small": ("小", "Small"),
    "contrast": ("高对比度", "High contrast"),
    "elderly": ("长者模式", "Senior mode"),
    "print": ("打印", "Print"),
    "other_language": ("English", "中文"),
    "language_switch": ("切换到英文版", "切换到中文版 / Chinese version"),
    "organizer": ("主办单位", "Organizer"),
    "contact": ("联系我们", "Contact us"),
    "site_id_code": ("网站标识码", "Website ID code"),
    "friendly_links": ("友情链接", "Related links"),
    "chinese_prevails": (
        "",
        "This English version is provided for reference; the Chinese version prevails.",
    ),
    "not_translated": (
        "",
        "This text has not been translated into English yet; the Chinese original is shown.",
    ),
    "sample_data": ("示例数据，非真实统计。", "Sample data for illustration, not real statistics."),
    "year": ("年份", "Year"),
    "events": ("宣传活动", "Publicity events"),
    "trainings": ("学法培训", "Study and training"),
    "funding": ("普法经费", "Funding"),
    "narrative": ("工作情况", "Narrative"),
    "key_figures": ("主要数据", "Key figures"),
    "charts": ("图表", "Charts"),
    "latest_news": ("最新动态", "Latest news"),
    "more_news": ("更多动态", "More news"),
    "page": ("第 {n} 页", "Page {n}"),
    "previous": ("上一页", "Previous"),
    "next": ("下一页", "Next"),
    "download_csv": ("下载数据（CSV）", "Download data (CSV)"),
    "data_table": ("数据表", "Data table"),
    "not_found": ("页面不存在", "Page not found"),
    "not_found_text": (
        "您访问的页面不存在或已被移除。",
        "The page you asked for does not exist or has been removed.",
    ),
    "no_data": ("—", "—"),
    "redacted": ("（原文隐去）", "(redacted in source)"),
    "unreadable": ("（原文无法辨认）", "(illegible in source)"),
    "date": ("日期", "Date"),
    "title": ("标题", "Title"),
    "category": ("类别", "Category"),
    "participants": ("参加人次", "Attendance"),
    "total": ("合计", "Total"),
    "cumulative": ("累计", "Cumulative"),
    "sessions": ("场次", "Sessions"),
    "people_trained": ("培训人次", "People trained"),
    "events_by_kind": ("宣传活动 · 按形式", "Publicity events by kind"),
    "other_days": ("其他日常活动", "Other days"),
    "no_kind": ("未注明形式", "Kind not given"),
    "other": ("其他", "Other"),
    "period_report": ("五年总结报告", "Five-year summary report"),
    "skip_to_content": ("跳到正文", "Skip to content"),
    "colon": ("：", ": "),
    "group_head": ("领导小组组长", "Head of the leading group"),
    "adjusted_in": ("调整年份", "Adjusted in"),
    "norm_year": ("每年不少于{n}", "at least {n} a year"),
    "norm_quarter": ("每季度不少于{n}", "at least {n} a quarter"),
    "norm_month": ("每月不少于{n}", "at least {n} a month"),
    "norm_period": ("规划期内不少于{n}", "at least {n} over the period"),
}

FIGURE_LABELS: dict[str, tuple[str, str]] = {
    "events": ("宣传活动", "Publicity events"),
    "audience": ("受众人次", "People reached"),
    "trainings": ("学法培训", "Study and training sessions"),
    "people_trained": ("培训人次", "People trained"),
    "central_group_sessions": ("中心组学法", "Central-group study sessions"),
    "lectures": ("法治讲座", "Law lectures"),
    "regular_meetings": ("领导小组会议", "Leading-group meetings"),
    "funding": ("普法经费", "Funding"),
    "materials_distributed": ("发放宣传资料", "Materials distributed"),
    "books_purchased": ("购买图书", "Books purchased"),
    "books_distributed": ("发放图书", "Books distributed"),
    "banners": ("悬挂横幅", "Banners"),
    "blackboard_issues": ("板报", "Blackboard issues"),
    "media_channels": ("媒体渠道", "Media channels"),
    "media_posts": ("媒体推送", "Media posts"),
    "exam_average_score": ("考试人均得分", "Average exam score"),
    "exam_pass_rate": ("考试合格率", "Exam pass rate"),
    "study_hours_completion": ("学时完成率", "Study hours completed"),
    "incidents": ("失泄密等事故", "Incidents"),
}

SECTION_TITLES: dict[str, tuple[str, str]] = {
    "overview": ("总体情况", "Overview"),
    "leadership": ("组织领导", "Leadership"),
    "systems": ("制度建设", "Working systems"),
    "funding": ("经费保障", "Funding"),
    "responsibility": ("普法责任制", "Responsibility system"),
    "study": ("学法用法", "Study and application of law by officials"),
    "publicity": ("宣传活动", "Publicity"),
    "culture": ("法治文化阵地", "Legal-culture sites"),
    "assessment": ("考核评估", "Assessment"),
    "integration": ("服务大局", "Serving the overall work"),
    "problems": ("问题与下一步", "Problems and next steps"),
}


@dataclass(frozen=True)
class Locale:
    """Everything language-dependent that a page needs."""

    lang: Lang

    def t(self, key: str, **kw: object) -> str:
        """The interface string ``key``."""
        zh, en = STRINGS[key]
        text = zh if self.lang == "zh" else en
        return text.format(**kw) if kw else text

    def unit(self, key: str) -> str:
        zh, en = UNITS[key]
        return zh if self.lang == "zh" else en

    def figure(self, key: str) -> str:
        """The label of a figure (``events`` → 宣传活动 / Publicity events)."""
        zh, en = FIGURE_LABELS[key]
        return zh if self.lang == "zh" else en

    def section(self, key: str) -> str:
        zh, en = SECTION_TITLES[key]
        return zh if self.lang == "zh" else en

    def text(self, value: Text | None) -> str:
        """A bilingual field in this language, falling back to Chinese."""
        if value is None:
            return ""
        return value.get(self.lang) or value.zh

    def translated(self, value: Text | None) -> bool:
        return value is None or value.get(self.lang) is not None

    def number(self, value: Number) -> str:
        if isinstance(value, float) and not value.is_integer():
            text = f"{value:,.2f}".rstrip("0").rstrip(".")
        else:
            text = f"{int(value):,}"
        return text if self.lang == "en" else text.replace(",", "")

    def quantity(self, q: Quantity | None, unit: str | None = None) -> str:
        """A figure with its qualifier (and unit), e.g. ``1000余册`` / ``1,000+ volumes``."""
        if q is None:
            return self.t("no_data")
        if q.redacted is not None:
            return self.t("redacted")
        if q.unreadable is not None:
            return self.t("unreadable")
        assert q.value is not None
        if unit == "yuan":
            return self.money(q)
        return self._qualified(self.number(q.value), q.qualifier, unit)

    def money(self, q: Quantity) -> str:
        """Money: ``1.1万元`` / ``CNY 11,000``."""
        assert q.value is not None
        if self.lang == "zh":
            if q.value >= 10_000:
                wan = round(q.value / 10_000, 2)
                body = (f"{wan:.2f}".rstrip("0").rstrip(".")) + "万"
            else:
                body = self.number(q.value)
            return self._qualified(body, q.qualifier, "yuan")
        return self._qualified("CNY " + self.number(q.value), q.qualifier, None)

    def _qualified(self, body: str, qualifier: str, unit: str | None) -> str:
        unit_text = self.unit(unit) if unit else ""
        if self.lang == "zh":
            forms = {"exact": f"{body}{unit_text}", "more_than": f"{body}余{unit_text}"}
            forms["at_least"] = f"{body}{unit_text}以上"
            forms["about"] = f"约{body}{unit_text}"
        else:
            sep = " " if unit_text and unit_text != "%" else ""
            tail = f"{sep}{unit_text}"
            forms = {"exact": f"{body}{tail}", "more_than": f"{body}+{tail}"}
            forms["at_least"] = f"≥ {body}{tail}"
            forms["about"] = f"about {body}{tail}"
        return forms[qualifier]

    def date(self, day: date) -> str:
        """``2021年7月26日`` / ``26 July 2021``."""
        if self.lang == "zh":
            return f"{day.year}年{day.month}月{day.day}日"
        return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"

    def timestamp(self, stamp: Timestamp) -> str:
        """发布时间 as government sites print it: ``2021-07-26 09:33``."""
        return str(stamp)


LOCALES: dict[str, Locale] = {"zh": Locale("zh"), "en": Locale("en")}
