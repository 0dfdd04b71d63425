"""The columns of an office's event and training lists, shared by the export and the import.

Each :class:`Column` says which field of :class:`~sitegen.content.model.Event` or
:class:`~sitegen.content.model.Training` it holds, the Chinese header the export writes and the headers
offices write for it (日期/时间/活动日期 …), and how its cells are read. One table serves both directions,
so that what the export writes the import reads back as it was.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from ..content.bilingual import problem
from ..content.model import Event, Training
from .cells import items_of

ListKind = Literal["events", "trainings"]
ValueKind = Literal["date", "text", "count", "amount", "percent", "category", "audience", "texts", "training", "id"]


@dataclass(frozen=True)
class Column:
    """One column of a list: the field it fills and the headers it is known by."""

    field: str
    """The YAML field (``title``), its English text (``title.en``), or ``category`` (observance, campaign or kind)."""
    header: str
    """The header the export writes."""
    synonyms: tuple[str, ...] = ()
    """Other headers offices write for it (compared after :func:`normal_header`)."""
    value: ValueKind = "text"
    """How its cells are read and written."""
    optional: bool = False
    """Exported only when some entry has a value (English texts, ids, sessions other than 1)."""


EVENT_COLUMNS: tuple[Column, ...] = (
    Column("date", "日期", ("时间", "活动日期", "活动时间", "举办日期", "举办时间", "开展时间", "开展日期"), "date"),
    Column("title", "活动名称", ("名称", "标题", "活动内容", "活动主题", "活动标题", "主题", "活动", "内容")),
    Column("title.en", "活动名称（英文）", ("英文名称", "英文标题", "名称（英文）"), optional=True),
    Column(
        "category",
        "类别/节日",
        ("类别", "节日", "纪念日", "活动类别", "类型", "节日/纪念日", "纪念日/节日", "专项活动", "宣传节点"),
        "category",
    ),
    Column("kind", "活动形式", ("形式", "活动方式", "方式", "宣传形式"), "category"),
    Column("audience", "对象", ("活动对象", "宣传对象", "参与对象", "受众", "受众群体", "面向对象"), "audience"),
    Column(
        "participants",
        "参与人数",
        ("参加人数", "人数", "受众人次", "参与人次", "参加人次", "受众人数", "覆盖人数", "受益人数", "人次"),
        "count",
    ),
    Column(
        "materials",
        "发放资料",
        ("资料份数", "发放资料（份）", "发放资料份数", "发放宣传资料", "宣传资料", "资料", "发放材料"),
        "count",
    ),
    Column("media", "宣传平台", ("媒体", "宣传媒体", "发布平台", "媒体平台", "宣传渠道", "平台"), "texts"),
    Column("media.en", "宣传平台（英文）", ("媒体（英文）",), "texts", optional=True),
    Column("location", "地点", ("活动地点", "地址", "举办地点", "开展地点", "场所")),
    Column("location.en", "地点（英文）", (), optional=True),
    Column("description", "备注", ("说明", "活动说明", "情况说明", "简要情况", "活动简介", "简介")),
    Column("description.en", "备注（英文）", ("说明（英文）",), optional=True),
    Column("id", "编号", ("活动编号", "id"), "id", optional=True),
)
"""The columns of a list of publicity events (宣传活动), in the order the export writes them."""

TRAINING_COLUMNS: tuple[Column, ...] = (
    Column("date", "日期", ("时间", "培训日期", "学习日期", "培训时间", "学习时间", "举办日期"), "date"),
    Column(
        "title",
        "培训名称",
        ("名称", "标题", "学习内容", "培训内容", "主题", "学习主题", "培训主题", "活动名称", "内容", "课程"),
    ),
    Column("title.en", "培训名称（英文）", ("英文名称", "名称（英文）"), optional=True),
    Column("kind", "类型", ("培训类型", "学习形式", "学习方式", "形式", "类别", "方式", "培训形式"), "training"),
    Column("sessions", "场次", ("次数", "期数", "场数"), "count", optional=True),
    Column(
        "participants",
        "参加人数",
        ("参与人数", "人数", "参训人数", "参学人数", "人次", "参加人次", "培训人次", "参训人次"),
        "count",
    ),
    Column("hours", "学时", ("课时", "时长", "小时", "学习时长", "时长（小时）", "学时（小时）"), "amount"),
    Column("average_score", "平均分", ("平均成绩", "平均得分", "考试平均分"), "amount"),
    Column("pass_rate", "合格率（%）", ("合格率", "及格率", "通过率", "考试合格率"), "percent"),
    Column("speaker", "主讲人", ("授课人", "讲师", "主讲", "授课老师", "主讲嘉宾", "授课专家")),
    Column("speaker.en", "主讲人（英文）", (), optional=True),
)
"""The columns of a list of study and training (学法培训)."""

COLUMNS: dict[ListKind, tuple[Column, ...]] = {"events": EVENT_COLUMNS, "trainings": TRAINING_COLUMNS}
MODELS: dict[ListKind, type[Event] | type[Training]] = {"events": Event, "trainings": Training}
"""The content model each list's entries are validated by, as in a hand-written year file."""
SHEET_TITLES: dict[ListKind, str] = {"events": "宣传活动", "trainings": "学法培训"}
REQUIRED: dict[ListKind, tuple[str, ...]] = {"events": ("date", "title"), "trainings": ("date", "title", "kind")}
"""Fields without which no row can be read: their columns must be there."""
IGNORED_HEADERS = frozenset({"序号", "序", "no", "no.", "编码", "行号"})
"""Headers of columns that are never content (row numbers): left out without a note."""

TARGET_GROUPS: dict[str, tuple[str, ...]] = {
    "public": ("社会公众", "公众", "群众", "社会群众", "居民", "市民", "村民", "人民群众", "public"),
    "functionaries": ("国家工作人员", "干部", "机关干部", "党员干部", "公务员", "干部职工", "机关工作人员"),
    "youth": ("青少年", "学生", "中小学生", "未成年人", "青年学生", "youth"),
}
"""The three target groups by their Chinese name (the first, which the export writes) and other words for them."""

TRAINING_KINDS: dict[str, tuple[str, ...]] = {
    "central-group-study": ("中心组学法", "中心组学习", "理论学习中心组学习", "党组中心组学习"),
    "lecture": ("法治讲座", "讲座", "专题讲座", "法律讲座", "专题辅导"),
    "training": ("培训", "业务培训", "专题培训", "培训班"),
    "exam": ("考试", "学法考试", "法律知识考试", "考核", "测试"),
    "self-study": ("自学", "网上学法", "在线学习", "线上学法", "个人自学"),
    "meeting": ("会议", "会议学法", "会前学法", "工作会议"),
}
"""The forms of study (``Training.kind``) by their Chinese name (the first) and other words for them."""

_UNIT_SUFFIX = re.compile(r"\((?:份|册|人|人次|场|场次|次|个|元|小时|学时|分|%|条|期)\)$")
_PUNCT = re.compile(r"[\s*＊:：_\-]+")


def normal_header(text: str) -> str:
    """A header as compared: full-width forms half-width, no spaces, marks or case (``资料（份）`` ~ ``资料(份)``)."""
    return _PUNCT.sub("", unicodedata.normalize("NFKC", text)).casefold()


def match_header(text: str, kind: ListKind, mapping: dict[str, str] | None = None) -> str | None:
    """The field the header ``text`` names in a list of ``kind``; ``"ignore"`` for a row-number column; else None."""
    key = normal_header(text)
    if mapping and key in mapping:
        return mapping[key]
    if key in IGNORED_HEADERS:
        return "ignore"
    for candidate in (key, _UNIT_SUFFIX.sub("", key)):
        for column in COLUMNS[kind]:
            if candidate in (normal_header(h) for h in (column.header, column.field, *column.synonyms)):
                return column.field
    return None


def column(kind: ListKind, field: str) -> Column:
    """The column of ``field`` in a list of ``kind``."""
    return next(c for c in COLUMNS[kind] if c.field == field)


def fields(kind: ListKind) -> list[str]:
    """Every field a column may hold in a list of ``kind`` (for mapping files)."""
    return [c.field for c in COLUMNS[kind]]


def target_groups(text: str) -> list[str]:
    """The target groups named in a cell (社会公众、青少年 → public, youth)."""
    words = {normal_header(w): group for group, names in TARGET_GROUPS.items() for w in (group, *names)}
    out: list[str] = []
    for item in items_of(text):
        group = words.get(normal_header(item))
        if group is None:
            options = "、".join(names[0] for names in TARGET_GROUPS.values())
            raise problem(
                f"不认识的对象“{item}”。可填：{options}（可以填几个，用“、”分隔）。",
                f'Unknown target group "{item}". Allowed: {options} (several may be given, separated by 、).',
            )
        if group not in out:
            out.append(group)
    return out


def training_kind(text: str) -> str:
    """The ``Training.kind`` a cell names (中心组学习 → central-group-study)."""
    words = {normal_header(w): kind for kind, names in TRAINING_KINDS.items() for w in (kind, *names)}
    found = words.get(normal_header(text))
    if found is None:
        options = "、".join(names[0] for names in TRAINING_KINDS.values())
        raise problem(
            f"不认识的培训类型“{text}”。可填：{options}。",
            f'Unknown kind of training "{text}". Allowed: {options}.',
        )
    return found
