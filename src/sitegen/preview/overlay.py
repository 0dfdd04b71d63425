"""What the preview server adds to every HTML page it serves (never to the files of a build).

- The livereload client script, same-origin (``/livereload.js``), so the page's own
  Content-Security-Policy (``script-src 'self'``, ``connect-src 'self'``) allows it and its socket.
- While the last build failed: a stylesheet link and a box listing every problem (file:line:col,
  the message in the page's language, the offending line with a caret), over the last good page.
  No inline script or style attribute: the CSP forbids both; :data:`OVERLAY_CSS` is served at
  :data:`CSS_PATH`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

from ..errors import ContentError, format_text

CSS_PATH = "/__sitegen__/overlay.css"
_HEAD_END = re.compile(rb"</head\s*>", re.IGNORECASE)
_BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)
_HTML_LANG = re.compile(rb"<html[^>]*\blang=\"?en\b", re.IGNORECASE)

OVERLAY_CSS = """\
.sitegen-problems { position: fixed; top: 0; left: 0; right: 0; z-index: 2147483647; max-height: 85vh;
  overflow: auto; margin: 0; padding: 1rem 1.25rem; background: #fff; color: #1a1a1a;
  border-bottom: 4px solid #b00020; box-shadow: 0 4px 16px rgba(0, 0, 0, .35);
  font: 16px/1.5 system-ui, "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", sans-serif; text-align: left; }
.sitegen-problems summary { font-weight: 700; color: #b00020; cursor: pointer; }
.sitegen-problems ol { margin: .75rem 0 0; padding-left: 1.5rem; }
.sitegen-problems li { margin: .75rem 0; }
.sitegen-problems p { margin: .25rem 0; }
.sitegen-problems code, .sitegen-problems pre {
  font-family: Consolas, "Courier New", "Noto Sans Mono CJK SC", monospace; }
.sitegen-problems pre { margin: .25rem 0 0; padding: .5rem; overflow: auto; white-space: pre;
  background: #f6f6f6; color: #1a1a1a; border: 1px solid #ccc; }
.sitegen-severity { color: #b00020; font-weight: 700; }
.sitegen-warning .sitegen-severity { color: #7a4a00; }
"""

_TEXT = {
    "zh": {
        "summary": "网站未能重新生成：{n} 个问题。改正文件并保存后，本页会自动刷新。",
        "note": "下面是上一次成功生成的页面。",
        "never": "网站还没有成功生成过。",
        "title": "网站未能生成",
        "error": "错误",
        "warning": "警告",
    },
    "en": {
        "summary": "The site could not be rebuilt: {n} problem(s). Fix the file and save; this page reloads by itself.",
        "note": "Below is the page as it was last built successfully.",
        "never": "The site has not been built successfully yet.",
        "title": "The site could not be built",
        "error": "error",
        "warning": "warning",
    },
}


def reload_script(port: int, generation: int) -> bytes:
    """The tag that loads livereload's client from this server (it connects back to ``/livereload``).

    livereload.js sends the ``snipver`` of its address in its ``hello``: the generation of the site
    this page comes from, so a page that missed a reload while it was loading gets one at once.
    """
    return f'<script src="/livereload.js?port={port}&amp;snipver={generation}"></script>'.encode()


def page_language(html: bytes) -> str:
    """``en`` for pages whose ``<html lang>`` is English, else ``zh`` (the site's main language)."""
    return "en" if _HTML_LANG.search(html[:2048]) else "zh"


def inject(html: bytes, head: bytes, body: bytes = b"") -> bytes:
    """``head`` before ``</head>`` and ``body`` before ``</body>`` (each at the end when absent)."""
    match = _HEAD_END.search(html)
    html = html[: match.start()] + head + html[match.start() :] if match else html + head
    if body:
        match = _BODY_END.search(html)
        html = html[: match.start()] + body + html[match.start() :] if match else html + body
    return html


def decorate(html: bytes, script: bytes, problems: Sequence[ContentError]) -> bytes:
    """A page as the preview serves it: with the reload ``script``, and the problems if there are any."""
    if not problems:
        return inject(html, script)
    head = script + f'<link rel="stylesheet" href="{CSS_PATH}">'.encode()
    return inject(html, head, problems_box(problems, page_language(html), last_good=True).encode())


def error_page(script: bytes, problems: Sequence[ContentError], lang: str) -> bytes:
    """The page served at every address while there has never been a good build."""
    text = _TEXT[lang]
    html_lang = "en" if lang == "en" else "zh-CN"
    return (
        f'<!DOCTYPE html>\n<html lang="{html_lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(text['title'])}</title>\n{script.decode()}\n"
        f'<link rel="stylesheet" href="{CSS_PATH}">\n</head>\n<body>\n<h1>{escape(text["never"])}</h1>\n'
        f"{problems_box(problems, lang, last_good=False)}\n</body>\n</html>\n"
    ).encode()


def problems_box(problems: Sequence[ContentError], lang: str, *, last_good: bool) -> str:
    """Every problem: where, the message in ``lang``, and the offending line with a caret."""
    text = _TEXT[lang]
    items = "".join(_item(p, lang) for p in problems)
    note = f"<p>{escape(text['note'])}</p>" if last_good else ""
    return (
        f'<section class="sitegen-problems" id="sitegen-problems" role="alert" lang="{lang}">'
        f"<details open><summary>{escape(text['summary'].format(n=len(problems)))}</summary>"
        f"{note}<ol>{items}</ol></details></section>"
    )


def _item(problem: ContentError, lang: str) -> str:
    where = problem.path + (f":{problem.line}" if problem.line else "")
    where += f":{problem.column}" if problem.line and problem.column else ""
    message = problem.zh if lang == "zh" else problem.en
    excerpt = excerpt_lines(problem)
    source = f'<pre class="sitegen-source">{escape(excerpt)}</pre>' if excerpt else ""
    return (
        f'<li class="sitegen-{problem.severity}"><p><code class="sitegen-where">{escape(where)}</code> '
        f'<span class="sitegen-severity">{escape(_TEXT[lang][problem.severity])}</span></p>'
        f'<p class="sitegen-message">{escape(message)}</p>{source}</li>'
    )


def excerpt_lines(problem: ContentError) -> str:
    """The offending line and its caret, exactly as the terminal (``check``) shows them."""
    if not problem.source_line:
        return ""
    message_lines = 2 + problem.zh.count("\n") + problem.en.count("\n")
    return "\n".join(format_text(problem).split("\n")[message_lines:])
