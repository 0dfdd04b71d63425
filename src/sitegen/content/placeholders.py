"""Placeholders never publish: values still to be filled in, found with their file and line.

``sitegen init`` writes ``待填写`` ("to be filled in") wherever an office's own facts belong, and
``0000000000`` for the 网站标识码 (it must be 10 characters). The bundled example site uses made-up
values: 备案号 and phone numbers of zeros, names with 示例 or "(sample)", addresses at
``example.gov.cn``. :func:`check` reports each as a warning while the content is loaded (``build``
prints them, ``check --strict`` fails on them); :func:`for_publishing` makes them errors for
``check --publish``, the check a deploy runs before it publishes.

Rules: the marker ``待填写`` (or a ``TODO`` prefix) anywhere in a YAML value of any content file; the
example's sample patterns only in the footer facts of ``site.yaml``, and not while the site says
it is a demonstration site (``sample: true`` in ``site.yaml``), which ``check --publish`` refuses.
That flag marks the site, not its data: pages say "sample data" only where a year file, period file,
unit or news item says ``sample: true`` itself, so the real records of a demo site carry no notice.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from ..errors import ContentError
from .identitymemo import IdentityMemo
from .model import Content
from .yamlsource import Loc, YamlDocument

MARKER = "待填写"
"""What the starter writes where an office's own value belongs."""

SITE_FACTS: dict[str, tuple[str, str]] = {
    "name": ("网站名称", "the site name"),
    "organizer": ("主办单位", "the organizer"),
    "site_id_code": ("网站标识码", "the site id code"),
    "icp": ("ICP备案号", "the ICP record number"),
    "police_record": ("公安机关备案号", "the public-security record number"),
    "contact": ("联系方式", "the contact detail"),
    "base_url": ("网址", "the site address"),
}
"""Keys of ``site.yaml`` whose values must be the office's real facts, with their names."""

_SAMPLE_WORDS = re.compile(r"示例|\b(?:example|sample)\b", re.IGNORECASE)
_NOT_SAMPLE = frozenset({"base_url"})  # tests and docs use www.example.gov.cn as a real-looking address


def is_marked(text: str) -> bool:
    """True for a value the starter left to fill in: it holds ``待填写`` or starts with ``TODO``."""
    return MARKER in text or text.lstrip().upper().startswith("TODO")


def is_sample(text: str) -> bool:
    """True for the example site's made-up values: only zeros as digits, 示例, "example", "sample"."""
    digits = [ch for ch in text if ch.isdigit()]
    return (len(digits) >= 4 and set(digits) == {"0"}) or bool(_SAMPLE_WORDS.search(text))


def check(content: Content, docs: Mapping[Path, YamlDocument]) -> list[ContentError]:
    """Every placeholder as a warning; the sample patterns are skipped on a sample site."""
    return list(_find(content, docs, samples=not content.site.sample, severity="warning"))


def for_publishing(content: Content, problems: list[ContentError]) -> list[ContentError]:
    """``problems`` with every placeholder (sample values included) as an error, for ``check --publish``."""
    found = list(_find(content, content.documents, samples=True, severity="error"))
    site_doc = content.documents.get(content.root / "site.yaml")
    if content.site.sample and site_doc is not None:
        zh = "这是演示站点（site.yaml 中 sample: true），页脚等信息是虚构的示例值，不能正式发布。请改为 sample: false。"
        en = "This is a demonstration site (sample: true in site.yaml) with made-up footer facts: set sample: false."
        found.append(replace(site_doc.error(("sample",), zh, en), severity="error"))
    found += _unpublished_pages(content)
    if content.site.dzjg is None and site_doc is not None:
        found.append(_no_mark(site_doc))
    seen = {p.sort_key() for p in found}
    return [p for p in problems if p.sort_key() not in seen] + found


def _no_mark(site_doc: YamlDocument) -> ContentError:
    """The site has no 党政机关网站标识: a warning, since the mark is issued once the site is registered and a new
    site may have to go out without it (``--strict`` makes it an error)."""
    error = site_doc.error(
        (),
        "没有设置党政机关网站标识（dzjg）：政府网站的每个页面页脚都要有这个标识。网站开办后，请从标识发放机构"
        "下载标识图片放进 content/static/，并在 site.yaml 中填写 dzjg 的 image 和 url（验证地址）。",
        "There is no government website mark (dzjg): every page of a government site shows it in its footer. "
        "Once the site is registered, download the mark's image from the issuer into content/static/ and give "
        "dzjg's image and url (the verification address) in site.yaml.",
    )
    return replace(error, severity="warning")


def _unpublished_pages(content: Content) -> list[ContentError]:
    """Year and period records without ``published``: their pages would have no 发布时间."""
    records = [(y.path, y.record) for u in content.units for y in u.years.values()]
    records += [(p.path, p.record) for u in content.units for p in u.periods.values()]
    found = []
    for path, record in records:
        doc = content.documents.get(path)
        if record.published is None and doc is not None:
            error = doc.error(
                (),
                "没有写 published（本页的发布时间，如 2024-01-19 10:00）：政府网站的每个页面都要显示发布时间。",
                "There is no published (when the page is published, e.g. 2024-01-19 10:00): every page of a "
                "government site shows its publication time.",
            )
            found.append(replace(error, severity="error"))
    return found


def _find(
    content: Content, docs: Mapping[Path, YamlDocument], *, samples: bool, severity: str
) -> Iterator[ContentError]:
    site_path = content.root / "site.yaml"
    for path, doc in sorted(docs.items()):
        is_site = path == site_path
        yield from _FOUND.get(doc, (is_site, samples, severity), partial(_in, doc, is_site, samples, severity))


def _in(doc: YamlDocument, is_site: bool, samples: bool, severity: str) -> tuple[ContentError, ...]:
    """The placeholders of one document (kept for the same document: ``serve`` reuses unchanged files')."""
    if not is_site and _plainly_without_marks(doc.source.text):
        return ()
    found = []
    for loc, value in _strings(doc.data, ()):
        key = str(loc[0]) if is_site and loc else ""
        facts = key in SITE_FACTS and key not in _NOT_SAMPLE
        if is_marked(value) or (samples and facts and is_sample(value)):
            found.append(replace(_message(doc, loc, value, SITE_FACTS.get(key)), severity=severity))
    return tuple(found)


_FOUND: IdentityMemo[tuple[ContentError, ...]] = IdentityMemo()


def _plainly_without_marks(text: str) -> bool:
    """True when no value of a file with this text can be :func:`is_marked`: it holds neither the marker nor
    ``TODO``, and no escape that could spell them (``"\\u5f85"``). Most files: their values are not walked."""
    return MARKER not in text and "\\" not in text and "TODO" not in text.upper()


def _message(doc: YamlDocument, loc: Loc, value: str, names: tuple[str, str] | None) -> ContentError:
    field = ".".join(map(str, loc))
    zh_name, en_name = names or ("值", "the value")
    zh = f"{zh_name}（{field}）还是占位值“{value}”，请填写本单位的真实信息；占位值不能正式发布。"
    en = f'{en_name[:1].upper()}{en_name[1:]} ({field}) is still a placeholder ("{value}"): '
    en += "fill in your office's real details. A placeholder must not be published."
    return doc.error(loc, zh, en)


def _strings(data: Any, loc: Loc) -> Iterator[tuple[Loc, str]]:
    """Every string value in parsed YAML with its location (numbers are strings for this purpose)."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, (*loc, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, (*loc, index))
    elif isinstance(data, str | int) and not isinstance(data, bool):
        yield loc, str(data)
