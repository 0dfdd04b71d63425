"""Chinese text on English pages, marked ``lang="zh-CN"`` wherever it appears.

An English page shows Chinese where a text is not translated yet (a title, a unit's name, a source) and
where English text quotes a Chinese term. Screen readers and browsers need ``lang`` to read and render
it, so every such string goes through :func:`mark_chinese`: the template filter ``| marked`` for plain
strings and rendered Markdown alike, and :func:`zh_span` inside ``tr()`` for untranslated fields.
"""

from __future__ import annotations

import re

import jinja2
from markupsafe import Markup, escape

_CJK = re.compile(r"[\u2e80-\u2fdf\u3000-\u303f\u3040-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")
"""Chinese characters and full-width punctuation: text that needs ``lang="zh-CN"`` on an English page."""
_SEPARATOR = re.compile(r"(\s+[·>|/–—-]\s+)")
"""Separators between the parts of a composed title (``单位名 · 2021``, ``Home > 单位``)."""
_ENGLISH = re.compile(r"[A-Za-z]{2,}[\s,]+[A-Za-z]{2,}")
"""Two English words: a part that is an English sentence with some Chinese in it."""
_TAG = re.compile(r"(<[^>]*>)")
_VOID = re.compile(r"<(?:br|hr|img|wbr|input|meta|link|source|col|area)\b", re.IGNORECASE)
_CJK_RUN = re.compile(f"({_CJK.pattern}+(?:[\\s\\d]+{_CJK.pattern}+)*)")


def is_chinese(text: object) -> bool:
    """True when ``text`` holds Chinese characters or full-width punctuation (template test ``is chinese``)."""
    return bool(_CJK.search(str(text)))


def zh_span(text: str, *, untranslated: bool = False) -> Markup:
    """``text`` in an element marked as Chinese (``untranslated``: with the "not yet translated" hint)."""
    hint = ' class="untranslated" title="Not yet translated"' if untranslated else ""
    return Markup('<span lang="zh-CN"{}>{}</span>').format(Markup(hint), text)


def mark_chinese(text: object, lang: str) -> Markup:
    """Escaped ``text``; on an English page each part holding Chinese is wrapped in :func:`zh_span`.

    Parts are split at separators such as `` · `` so that a title composed of an English and an
    untranslated Chinese part marks only the Chinese one. In Markup (rendered Markdown) the runs of
    Chinese in its text are marked, outside elements that are marked already.
    """
    if lang != "en" or not _CJK.search(str(text)):
        return escape(text)
    if isinstance(text, Markup):
        return _mark_html(text)
    return Markup("").join(_mark_part(part) for part in _SEPARATOR.split(str(text)))


def _mark_html(html: Markup) -> Markup:
    """Runs of Chinese in the text of sanitised HTML wrapped in :func:`zh_span`; tags are kept as they are."""
    out: list[str] = []
    depth = 0  # open elements that carry lang="zh-CN" (or are nested inside one)
    for index, piece in enumerate(_TAG.split(str(html))):
        if index % 2:
            depth = _zh_depth(piece, depth)
            out.append(piece)
        else:
            out.append(piece if depth else _CJK_RUN.sub(lambda m: zh_span(Markup(m.group())), piece))
    return Markup("".join(out))


def _zh_depth(tag: str, depth: int) -> int:
    """The nesting depth inside Chinese-marked elements after ``tag``."""
    if tag.startswith("</"):
        return max(depth - 1, 0)
    if tag.endswith("/>") or _VOID.match(tag):
        return depth
    return depth + 1 if depth or 'lang="zh-CN"' in tag else 0


def _mark_part(part: str) -> Markup:
    """A Chinese part as a whole; in an English sentence, only its runs of Chinese."""
    if not _CJK.search(part):
        return escape(part)
    if not _ENGLISH.search(part):
        return zh_span(part)
    pieces = _CJK_RUN.split(part)  # odd indices are the Chinese runs
    return Markup("").join(zh_span(p) if i % 2 else escape(p) for i, p in enumerate(pieces))


@jinja2.pass_context
def marked(context: jinja2.runtime.Context, text: object) -> Markup:
    """Template filter ``| marked``: :func:`mark_chinese` in the language of the page being rendered."""
    return mark_chinese(text, context.get("lang", "zh"))
