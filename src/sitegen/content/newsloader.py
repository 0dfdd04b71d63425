"""Loading ``content/news/``: a 普法动态 item is ``<id>.zh.md`` (front matter and text) and, if
translated, ``<id>.en.md``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel
from pydantic_core import PydanticCustomError

from .fileloader import Loader
from .model import Markdown, NewsItem, NewsMeta, NewsTranslationMeta
from .values import check_slug, messages

M = TypeVar("M", bound=BaseModel)

_NEWS = re.compile(r"^(.+)\.(zh|en)\.md$")
MEDIA_FOLDERS = ("images", "files")
"""Folders in news/ that hold the items' pictures and attachments, not news files."""


def load_news(loader: Loader, folder: Path) -> list[NewsItem]:
    if not folder.is_dir():
        return []
    found: dict[str, dict[str, Path]] = {}
    for path in loader.listdir(folder):
        m = _NEWS.match(path.name)
        if path.name in MEDIA_FOLDERS and path.is_dir():
            continue  # pictures and attachments, read where an item names them (sitegen.site.images, attachments)
        if not m or not path.is_file():
            loader.unknown(
                path,
                "新闻文件，如 2021-07-26-summary.zh.md，以及存放图片和附件的 images、files 文件夹。",
                "news files such as 2021-07-26-summary.zh.md, and the folders images and files for pictures and "
                "attachments.",
                [*MEDIA_FOLDERS],
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
