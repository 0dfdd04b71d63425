"""Interface strings and number/date formats for Chinese and English pages.

Numbers keep their qualifier: ``1000余`` / ``1,000+``, ``96以上`` / ``≥ 96``, ``约300`` /
``about 300``; a value the source hid or garbled says so instead of showing a number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..content.indicators import BY_ID, GROUPS
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
    "people": ("人", "people"),
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
    "download_docx": ("下载 Word 文档（公文格式）", "Download as a Word document"),
    "download_xlsx": ("下载数据（Excel）", "Download the figures (Excel)"),
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
    "group_members": ("领导小组成员", "Members"),
    "established_in": ("成立年份", "Set up in"),
    "group_staff": ("日常工作", "Day-to-day work"),
    "occasions_marked": ("开展宣传的纪念日和专项活动", "Observance days and campaigns marked"),
    "media_used": ("使用的媒体", "Media used"),
    "laws_studied": ("学习和宣传的重点法律法规", "Laws studied and explained"),
    "partly_estimated": ("含约数", "partly estimated"),
    "more_figures": ("其他数据", "More figures"),
    "plan_years": ("规划期", "Plan years"),
    "open_data": ("数据开放", "Open data"),
    "reports_and_years": ("五年总结和年度工作", "Five-year summaries and yearly work"),
    "by_unit": ("按单位", "By unit"),
    "by_group": ("按分组", "By group"),
    "filter": ("筛选", "Filter"),
    "all_items": ("全部", "All"),
    "no_group": ("未分组", "Other units"),
    "column_feed": ("订阅本栏目（Atom）", "Subscribe to this column (Atom)"),
    "newer_item": ("上一篇", "Previous"),
    "older_item": ("下一篇", "Next"),
    "based_on": ("出处", "Based on"),
    "open_data_intro": (
        "本站公布的全部数字，按单位、年度和规划期提供 CSV 和 JSON 文件，字段说明见 README。"
        "数值写法与页面一致（如“1000余册”），确数另列数值。",
        "Every figure of this site as CSV and JSON files, per unit, year and plan period; the README explains the "
        "fields. Values are written as the pages write them (such as 1,000+ copies), with the number beside "
        "exact ones.",
    ),
    "dataset": ("数据集", "Dataset"),
    "all_units": ("全部单位", "All units"),
    "field": ("字段", "Field"),
    "meaning": ("含义", "Meaning"),
    "statistics_workbook": ("全部数据（Excel）", "All figures (Excel)"),
    "current_period_no_data": (
        "当前规划期为{period}（{start}—{end}年），暂无数据；下面是上一规划期的数据。",
        "The current plan, the {period}, has no data yet; the figures below are from the last plan.",
    ),
    "kind": ("形式", "Kind"),
    "target": ("对象", "Audience"),
    "location": ("地点", "Place"),
    "media": ("媒体", "Media"),
    "materials": ("发放资料", "Materials"),
    "details": ("详情", "Details"),
    "hours": ("学时", "Hours"),
    "score": ("成绩", "Results"),
    "average_score": ("人均得分", "average score"),
    "pass_rate": ("合格率", "pass rate"),
    "speaker": ("主讲", "Speaker"),
    "budgeted": ("纳入财政预算", "In the budget"),
    "budget": ("预算", "Budget"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "short_name": ("简称", "Short name"),
    "target_public": ("社会公众", "the public"),
    "target_functionaries": ("国家工作人员", "state functionaries"),
    "target_youth": ("青少年", "young people"),
    "training_central-group-study": ("中心组学法", "Central-group study"),
    "training_lecture": ("法治讲座", "Lecture"),
    "training_training": ("培训", "Training"),
    "training_exam": ("考试", "Exam"),
    "training_self-study": ("自学", "Self-study"),
    "training_meeting": ("会议学法", "Study meeting"),
    "adjusted_in": ("调整年份", "Adjusted in"),
    "norm_year": ("每年不少于{n}", "at least {n} a year"),
    "norm_quarter": ("每季度不少于{n}", "at least {n} a quarter"),
    "norm_month": ("每月不少于{n}", "at least {n} a month"),
    "norm_period": ("规划期内不少于{n}", "at least {n} over the period"),
    # masthead, footer, unpublished news (drafts.py)
    "emblem_of": ("{name}徽标", "Emblem of {name}"),
    "operator": ("承办单位", "Operated by"),
    "postcode": ("邮编", "Postcode"),
    "icp_record": ("ICP备案号", "ICP record number"),
    "police_record": ("公安机关备案号", "Public security record number"),
    "dzjg": ("党政机关网站标识", "Party and government website mark"),
    "dzjg_verify": (
        "党政机关网站标识：点击核验本网站身份（在发放机构网站打开）",
        "Party and government website mark: verify this site with the issuer (opens the issuer's site)",
    ),
    "draft": ("草稿", "Draft"),
    "scheduled": ("定时发布", "Scheduled"),
    "unpublished_note": (
        "本条动态尚未发布，只在预览中显示。",
        "This item is not published yet; only previews show it.",
    ),
    # site search (search.py, search.html, search.js)
    "search": ("站内搜索", "Site search"),
    "search_label": ("搜索本站", "Search this site"),
    "search_button": ("搜索", "Search"),
    "search_needs_js": (
        "站内搜索需要启用浏览器的 JavaScript。未启用时，请通过网站地图查找页面：",
        "Site search needs JavaScript to be enabled in your browser. Without it, find pages through the site map:",
    ),
    "search_needs_js_short": ("站内搜索需启用 JavaScript", "Search needs JavaScript"),
    "search_hint": (
        "输入词语后按“搜索”，例如：宪法、民法典。",
        "Type a word and press Search, for example: Constitution, Civil Code.",
    ),
    "search_loading": ("正在搜索……", "Searching…"),
    "search_found": ("找到 {n} 条与“{q}”相关的结果。", 'Found {n} result(s) for "{q}".'),
    "search_none": (
        "没有找到与“{q}”相关的内容。请换一个词试试，或查看网站地图。",
        'Nothing found for "{q}". Try another word, or see the site map.',
    ),
    "search_failed": (
        "搜索暂时无法使用，请稍后再试，或查看网站地图。",
        "Search is not available right now. Try again later, or see the site map.",
    ),
    "search_results": ("搜索结果", "Search results"),
    "search_column": ("栏目", "Column"),
    "search_column_year": ("年度工作", "Yearly work"),
    # articles as offices publish them (article.html, home.html's 图片新闻; images.py, articlemedia.py)
    "author": ("作者", "Author"),
    "editor": ("责任编辑", "Editor"),
    "reviewer": ("审核", "Reviewed by"),
    "attachments": ("附件", "Attachments"),
    "file_facts": ("（{kind}，{size}）", " ({kind}, {size})"),
    "article_tools": ("字体和打印", "Text size and printing"),
    "font_size": ("字体", "Text size"),
    "bracket_open": ("【", ""),
    "bracket_close": ("】", ""),
    "original_picture": ("（查看原图）", " (full-size picture)"),
    "picture_news": ("图片新闻", "Picture news"),
}

MEASURES_EN: dict[str, str] = {
    "人": "people",
    "人次": "attendances",
    "册": "copies",
    "本": "copies",
    "份": "copies",
    "场": "events",
    "场次": "events",
    "次": "times",
    "期": "issues",
    "条": "items",
    "个": "items",
    "篇": "articles",
    "起": "incidents",
    "分": "points",
    "%": "%",
    "学时": "hours",
    "小时": "hours",
    "元": "yuan",
}
"""English for a measure word the source wrote itself (``1000余册`` → copies, ``30人`` → people)."""

_SINGULAR = {"people": "person", "copies": "copy", "%": "%"}

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
        """The name of an indicator (``events`` → 宣传活动 / Publicity events)."""
        return BY_ID[key].name(self.lang)

    def group(self, key: str) -> str:
        """The name of an indicator group (``study`` → 学法培训 / Study and training)."""
        info = GROUPS[key]
        return info.zh if self.lang == "zh" else info.en

    def value(self, q: Quantity | None, key: str) -> str:
        """Indicator ``key``'s value as offices write it: its own measure word, 约/余 rounded, its span.

        ``1000余册`` keeps 册 where the indicator counts 份; ``约86262`` people reads ``约8.6万人次`` /
        ``about 86,000 attendances``; a figure covering part of the period adds it: ``12期（自20xx年以来）``.
        """
        if q is None or q.value is None:
            return self.quantity(q)
        measure = BY_ID[key].measure
        zh_word = q.unit or measure[0]
        en_word = measure[1] if zh_word == measure[0] else MEASURES_EN.get(zh_word, measure[1])
        if zh_word == "元":
            text = self.money(q)
        else:
            body = self._rounded(q)
            word = zh_word if self.lang == "zh" else _singular(en_word, q)
            text = self._qualified(body, q.qualifier, None, word)
        if q.span is not None:
            span = self.text(q.span)
            text += f"（{span}）" if self.lang == "zh" else f" ({span})"
        return text

    def _rounded(self, q: Quantity) -> str:
        """约 and 余 figures of 10,000 and more as offices write them: 约8.6万 / about 86,000."""
        assert q.value is not None
        if q.qualifier not in ("about", "more_than") or q.value < 10_000:
            return self.number(q.value)
        if self.lang == "zh":
            wan = q.value / 10_000
            wan = round(wan, 1) if q.qualifier == "about" else int(wan * 10) / 10
            return f"{wan:.1f}".removesuffix(".0") + "万"
        step = 1000
        rounded = round(q.value / step) * step if q.qualifier == "about" else int(q.value // step) * step
        return self.number(rounded)

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

    def _qualified(self, body: str, qualifier: str, unit: str | None, word: str | None = None) -> str:
        unit_text = word if word is not None else (self.unit(unit) if unit else "")
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


def _singular(word: str, q: Quantity) -> str:
    if q.value == 1 and q.qualifier == "exact":
        return _SINGULAR.get(word, word.removesuffix("s"))
    return word


LOCALES: dict[str, Locale] = {"zh": Locale("zh"), "en": Locale("en")}
