"""``check``: the built site, as a visitor would meet it and as an inspection looks at it.

:func:`check_site` takes the validated content and the files of a build (``path → bytes``, as
written to disk) and returns every problem as a :class:`~sitegen.errors.ContentError`:

- links, ``#anchors`` and language-switch targets that lead nowhere, in both languages,
  and pages that exist in one language only;
- referenced files (scripts, styles, images, CSV) that are missing;
- HTML that does not parse cleanly (html5lib, the HTML5 parsing algorithm browsers use),
  feeds and sitemaps that are not well-formed XML;
- friendly links (友情链接) that are not well-formed http(s) addresses;
- a news column (普法动态) not updated for more than ``news_stale_days`` (a warning), counting only
  published items (not drafts, not items dated after ``today``: :mod:`sitegen.content.drafts`);
- with ``check --strict``, every text without an English translation.

A problem that comes from the content points at the content file and line (a broken link at
its line in the Markdown, a bad friendly link at its line in ``site.yaml``); one that comes
from the templates points at the built page, as ``output/<page>``.
"""

from __future__ import annotations

import ipaddress
import os
import re
import subprocess
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from ..content.drafts import is_published
from ..content.model import Content
from ..content.translations import Coverage
from ..errors import ContentError, Severity, display_path, make_error
from ..site import theme
from ..site.outputguard import MARKER
from .linkcheck import SITE_LABEL, Files, check_links, check_markup, page_error

_LABEL_RE = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def check_site(
    content: Content,
    files: Files,
    *,
    today: date,
    translations: Coverage | None = None,
    label: str = SITE_LABEL,
) -> list[ContentError]:
    """Every problem of the site built from ``content``, sorted by file and line.

    ``translations``: a coverage report whose missing translations become errors (``--strict``).
    """
    problems = [
        *check_links(content, files, label),
        *check_markup(files, label),
        *check_friendly_links(content),
        *check_news_age(content, today),
    ]
    if translations is not None:
        problems += translation_errors(content, translations)
    return sorted(problems, key=ContentError.sort_key)


# --------------------------------------------------------------------------- content-side checks


def _at(content: Content, path: Path, loc: tuple[str | int, ...], zh: str, en: str, severity: Severity = "error"):
    doc = content.documents.get(path)
    error = doc.error(loc, zh, en) if doc is not None else make_error(path, 0, 0, zh, en)
    error.severity = severity
    return error


def url_problem(url: str) -> tuple[str, str] | None:
    """Why ``url`` is not a well-formed public http(s) address, in Chinese and English; else None."""
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        return "网址中不能有空格或换行。", "A web address cannot contain spaces or line breaks."
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        return "网址应以 http:// 或 https:// 开头。", "The address must start with http:// or https://."
    if parts.username is not None or parts.password is not None:
        return (
            "网址中不应包含用户名或密码（@ 前的部分）。",
            "The address must not contain a user name or password (before @).",
        )
    try:
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        return "网址中的端口号无效。", "The port number in the address is not valid."
    host = (parts.hostname or "").rstrip(".")
    if not host:
        return "网址缺少网站域名。", "The address has no host name."
    if not _valid_host(host):
        return f"“{host}”不是有效的网站域名。", f'"{host}" is not a valid host name.'
    return None


def _valid_host(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
        return True
    except ValueError:
        pass
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    labels = ascii_host.lower().split(".")
    return len(labels) >= 2 and all(_LABEL_RE.match(label) for label in labels) and not labels[-1].isdigit()


def check_friendly_links(content: Content) -> list[ContentError]:
    """Friendly links (友情链接) must be well-formed http(s) addresses of a real host."""
    errors = []
    for index, link in enumerate(content.site.friendly_links):
        problem = url_problem(link.url)
        if problem:
            zh, en = problem
            errors.append(
                _at(
                    content,
                    content.root / "site.yaml",
                    ("friendly_links", index, "url"),
                    f"友情链接“{link.name.zh}”的网址有误：{zh}",
                    f'The friendly link "{link.name.zh}" has a bad address: {en}',
                )
            )
    return errors


def check_news_age(content: Content, today: date) -> list[ContentError]:
    """A warning when the newest published news item is older than ``news_stale_days`` (site.yaml).

    Drafts and items dated after ``today`` do not count: they are not on the published site."""
    newest = next((item for item in content.news if is_published(item, today)), None)
    if newest is None:
        return []
    age = (today - newest.meta.date.day).days
    limit = content.site.news_stale_days
    if age <= limit:
        return []
    day = newest.meta.date.day.isoformat()
    return [
        _at(
            content,
            newest.path,
            ("date",),
            f"普法动态栏目已 {age} 天未更新（最新一条发布于 {day}，site.yaml 的 news_stale_days 为 {limit} 天）。"
            "请及时发布新的动态。",
            f"The news column has not been updated for {age} days (the newest item is from {day}; "
            f"news_stale_days in site.yaml is {limit}). Publish a news item.",
            severity="warning",
        )
    ]


_FIELD_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def translation_errors(content: Content, report: Coverage) -> list[ContentError]:
    """Each text without English as an error at its line (``check --strict``)."""
    documents = {display_path(path): path for path in content.documents}
    errors = []
    for missing in report.missing:
        chinese = _excerpt(missing.zh)
        if missing.field == "(text)":  # a Markdown text: point at the Chinese file it translates
            zh_file = missing.path.removesuffix(".en.md") + ".zh.md"
            path = documents.get(zh_file, Path(zh_file))
            if path not in content.documents:  # no front matter: the file's first line
                zh, en = f"缺少英文译文 {missing.path}。", f"There is no English translation {missing.path} yet."
                errors.append(_line_one(path, zh, en))
                continue
            loc: tuple[str | int, ...] = ("title",)
            zh = f"缺少英文译文 {missing.path}（中文：“{chinese}”）。"
            en = f"There is no English translation {missing.path} yet (Chinese: “{chinese}”)."
        else:
            path = documents.get(missing.path, Path(missing.path))
            loc = tuple(int(i) if i else k for k, i in _FIELD_PART.findall(missing.field))
            zh = f"“{missing.field}”还没有英文译文（“{chinese}”）。请写成 zh: … 和 en: … 两行。"
            en = f'"{missing.field}" has no English translation yet ("{chinese}"). Write it as zh: … and en: ….'
        errors.append(_at(content, path, loc, zh, en))
    return errors


def _excerpt(text: str, limit: int = 30) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _line_one(path: Path, zh: str, en: str) -> ContentError:
    text = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else None
    return make_error(path, 1 if text is not None else 0, 0, zh, en, text=text)


# --------------------------------------------------------------------------- determinism


def compare_builds(first: Files, second: Files, label: str = SITE_LABEL) -> list[ContentError]:
    """Files that differ between two builds of the same sources (the build is then not deterministic)."""
    errors = []
    for name in sorted(set(first) | set(second)):
        a, b = first.get(name), second.get(name)
        if a == b:
            continue
        if a is None or b is None:
            which_zh, which_en = ("第二次", "second") if a is None else ("第一次", "first")
            zh = f"只有{which_zh}构建生成了这个文件：构建结果不确定。"
            en = f"Only the {which_en} build wrote this file: the build is not deterministic."
            errors.append(make_error(f"{label}/{name}", 0, 0, zh, en))
            continue
        offset = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
        line = a.count(b"\n", 0, offset) + 1
        zh = f"两次构建的结果从第 {line} 行起不同：构建结果不确定（可能依赖时间、随机数或无序集合）。"
        en = (
            f"Two builds differ from line {line} on: the build is not deterministic "
            "(it may depend on the time, randomness or the order of a set)."
        )
        errors.append(page_error(first, label, name, line, 0, zh, en))
    return errors


def read_tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder``, by its ``/``-separated path relative to it (not an output's marker)."""
    files = {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
    return {name: data for name, data in files.items() if name != MARKER}


def rebuild_elsewhere(
    content_dir: Path, templates: Path, output: Path, today: date | None = None, flags: Sequence[str] = ()
) -> tuple[dict[str, bytes] | None, str]:
    """Build again in a fresh interpreter with another hash seed, time zone and locale.

    ``flags`` are added to the build's command line (``--drafts``, ``--future``). Returns the files
    (``None`` if that build failed) and what the build printed.
    """
    seed = "4242" if os.environ.get("PYTHONHASHSEED") != "4242" else "2424"
    package_root = str(theme.PACKAGE.parent)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(p for p in (package_root, os.environ.get("PYTHONPATH")) if p),
        "PYTHONHASHSEED": seed,
        "PYTHONIOENCODING": "utf-8",
        "TZ": "America/New_York" if os.environ.get("TZ") != "America/New_York" else "Asia/Shanghai",
        "LC_ALL": "C",
        "LANG": "C",
    }
    command = [sys.executable, "-m", "sitegen.cli", "build", "--content", str(content_dir)]
    command += ["--output", str(output), "--templates", str(templates)]
    command += ["--today", today.isoformat()] if today else []
    command += list(flags)
    done = subprocess.run(command, env=env, capture_output=True, text=True, encoding="utf-8", errors="replace")
    return (read_tree(output) if done.returncode == 0 else None), done.stdout + done.stderr
