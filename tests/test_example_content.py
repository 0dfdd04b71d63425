"""The bundled example is content worth imitating: new offices copy ``content/``, so it must be right.

(a) The 七五 narratives retell the office's real summary (published 2021-07-26) in our own words: its facts,
    not its sentences, and so does the news item that reports it (``QIWU_NEWS``: its body and its
    front-matter summary). The measure: the share of a narrative's characters that lie in runs of
    ``MIN_RUN`` or more consecutive characters shared with the source, and the longest such run.
    Characters are letters, digits and ideographs after NFKC normalisation; whitespace, punctuation and
    Markdown syntax are ignored (so changing a comma does not hide a copied sentence). Titles are not
    counted at all: text inside 《》 (laws, plans, notices) and inside “” up to ``MAX_QUOTED`` characters
    (names and fixed terms such as “七五”, “防控疫情、法治同行”); a longer quotation counts like any text.
    The source is not stored in the repository, only its fingerprint (``FINGERPRINT``): the SHA-1 of every
    ``MIN_RUN``-character window of its normalised text, in order, which finds every shared run of that
    length or more, exactly (up to hash collisions).
(b) The 八五 sample data is the work of a 区委办公室 and varies from year to year: no other bureau's work,
    different events, counts and figures each year, plausible attendance, the period's list of occasions
    the same as the years'.
(c) Every narrative of the example has its English version, in step, or says that it has none yet.

Regenerate the fingerprint from the source text (for instance after correcting how its body is cut out):
``python tests/test_example_content.py SOURCE.txt > tests/data/qiwu-source-fingerprint.txt``
"""

from __future__ import annotations

import functools
import hashlib
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
UNIT = CONTENT / "units" / "xinzhou-office"
FINGERPRINT = Path(__file__).parent / "data" / "qiwu-source-fingerprint.txt"
QIWU_NEWS = CONTENT / "news" / "2021-07-26-qiwu-summary.zh.md"

# --- (a) thresholds of the 七五 overlap test
MIN_RUN = 10
"""A run of this many characters shared with the source counts as copied (the fingerprint's window)."""
MAX_SHARE = 0.10
"""At most this share of all the 七五 narratives' characters (the sections and the news item) may lie in copied runs."""
MAX_SHARE_PER_FILE = 0.20
"""… and of each narrative's."""
MAX_RUN = 16
"""No shared run may be longer than this."""
MAX_QUOTED = 12
"""“…” of at most this many characters is a name or a fixed term, not counted."""

# --- (b) what is other bureaus' work, and what the office's own events look like
OTHER_BUREAUS = {
    "consumer-day": "3·15 consumer-rights work (market regulation)",
    "work-safety-month": "work-safety consultations (emergency management)",
    "rural-law": "宅基地 and farmland-contract counselling (agriculture, justice bureaus)",
}
OTHER_BUREAUS_WORDS = ("3·15", "消费者权益", "消费维权", "宅基地", "土地承包", "安全生产")
YEARS = range(2021, 2026)
STAFF = 60
"""About how many people work in the office (the year-end exam's participants): its own events stay below."""
DISTRICT_MEETING = 130
"""A district-wide work meeting (every unit's secrecy officers) stays below this."""
ON_SITE = (100, 600)
"""Attendance at an event for the public, a school or a community."""
ONLINE = (1000, 10000)
"""Online reach of one online event, always approximate (约)."""

# --- (c)
UNTRANSLATED = "英文版尚未翻译"
"""What a Chinese narrative says when its English version is left out on purpose."""


# --------------------------------------------------------------------------- (a) overlap with the source

_MARKDOWN = re.compile(r"^\s{0,3}(?:[-*+]|\d+[.)]|#{1,6}|>)\s+|\*\*|__|`|!?\[|\]\([^)]*\)", re.M)
_TITLES = re.compile(rf"《[^《》]*》|“[^“”]{{1,{MAX_QUOTED}}}”")


def normalise(text: str) -> str:
    """Letters, digits and ideographs only, NFKC-normalised (full-width forms become half-width)."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if ch.isalnum())


def countable(markdown: str) -> list[str]:
    """The normalised pieces of a narrative that are measured: Markdown syntax and titles left out."""
    pieces = _TITLES.split(_MARKDOWN.sub("", markdown))
    return [p for p in map(normalise, pieces) if p]


def window_hashes(text: str) -> list[str]:
    return [hashlib.sha1(text[i : i + MIN_RUN].encode()).hexdigest()[:8] for i in range(len(text) - MIN_RUN + 1)]


def source_body(text: str) -> str:
    """The summary itself: from its title to the friendly-links footer (the page's chrome left out)."""
    start = text.index("新洲区委办公室“七五”普法工作总结")
    end = text.find("友情连", start)
    return text[start : end if end >= 0 else None]


def fingerprint_text(source: str) -> str:
    hashes = window_hashes(normalise(source_body(source)))
    lines = [
        "# 新洲区委办公室“七五”普法工作总结（2021-07-26）正文的指纹：",
        "# 规范化正文中每个 10 字窗口的 SHA-1 前 8 位，按位置排列；不保存原文。",
        "# Fingerprint of the body of the Xinzhou office's Seventh-plan summary (2021-07-26): the first 8 hex digits",
        "# of the SHA-1 of every 10-character window of its normalised text, in order. The text itself is not stored.",
        "# Written by: python tests/test_example_content.py SOURCE.txt (see that file).",
        f"window {MIN_RUN}",
    ]
    lines += [" ".join(hashes[i : i + 12]) for i in range(0, len(hashes), 12)]
    return "\n".join(lines) + "\n"


def load_fingerprint() -> list[str]:
    lines = [line for line in FINGERPRINT.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    assert lines[0] == f"window {MIN_RUN}", "the fingerprint was made with another window: regenerate it"
    return [h for line in lines[1:] for h in line.split()]


@dataclass(frozen=True)
class Overlap:
    chars: int
    shared: int
    longest: int
    longest_text: str = ""

    @property
    def share(self) -> float:
        return self.shared / self.chars if self.chars else 0.0

    def __add__(self, other: Overlap) -> Overlap:
        longest = max(self, other, key=lambda o: o.longest)
        return Overlap(self.chars + other.chars, self.shared + other.shared, longest.longest, longest.longest_text)


def measure(markdown: str, source: list[str]) -> Overlap:
    """How much of ``markdown`` lies in runs of ``MIN_RUN`` or more characters shared with the source."""
    at: dict[str, list[int]] = {}
    for position, digest in enumerate(source):
        at.setdefault(digest, []).append(position)
    total = Overlap(0, 0, 0)
    for piece in countable(markdown):
        ours = window_hashes(piece)
        copied = [False] * len(piece)
        longest, longest_text = 0, ""
        for i, digest in enumerate(ours):
            run = 0
            for p in at.get(digest, ()):
                k = 0
                while i + k + 1 < len(ours) and p + k + 1 < len(source) and ours[i + k + 1] == source[p + k + 1]:
                    k += 1
                run = max(run, MIN_RUN + k)
            copied[i : i + run] = [True] * run
            if run > longest:
                longest, longest_text = run, piece[i : i + run]
        total += Overlap(len(piece), sum(copied), longest, longest_text)
    return total


def split_front_matter(text: str) -> tuple[dict, str]:
    """The ``---``-delimited YAML front matter of a Markdown file, and its body."""
    _, meta, body = re.split(r"^---[ \t]*\n", text, maxsplit=2, flags=re.M)
    return yaml.safe_load(meta), body


def qiwu_texts() -> dict[str, str]:
    """The 七五 sections, and the news item that reports the summary: its body and its front-matter summary."""
    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted((UNIT / "qiwu").glob("*.zh.md"))}
    meta, body = split_front_matter(QIWU_NEWS.read_text(encoding="utf-8"))
    return texts | {"news body": body, "news summary": meta["summary"]}


def qiwu_overlaps() -> dict[str, Overlap]:
    source = load_fingerprint()
    return {name: measure(text, source) for name, text in qiwu_texts().items()}


def report(overlaps: dict[str, Overlap]) -> str:
    rows = [f"{'file':<22}{'chars':>6}{'shared':>8}{'share':>8}  longest run"]
    for name, o in {**overlaps, "(all)": sum(overlaps.values(), Overlap(0, 0, 0))}.items():
        longest = f"{o.longest} {o.longest_text}" if o.longest else f"< {MIN_RUN}"
        rows.append(f"{name:<22}{o.chars:>6}{o.shared:>8}{o.share:>8.1%}  {longest}")
    return "\n".join(rows)


def test_the_fingerprint_finds_a_sentence_of_the_source_and_not_ours() -> None:
    source = load_fingerprint()
    assert len(source) > 1500, "the fingerprint should cover the whole summary"
    copied = measure("办公室所有人员在年终学法考试中，人均得分96分以上。", source)  # the source's own words
    assert (copied.share, copied.longest) == (1.0, len("办公室所有人员在年终学法考试中人均得分96分以上"))
    ours = measure("年终学法考试中，办公室全体人员人均得分在96分以上。", source)
    assert ours.shared == 0
    assert measure("《新洲区关于在全区公民开展法治宣传教育的第七个五年规划（2016—2020）的通知》", source).chars == 0


def test_qiwu_narratives_keep_the_facts_in_our_own_words() -> None:
    overlaps = qiwu_overlaps()
    assert len(overlaps) >= 10, "the 七五 sections or the news item are missing"
    total = sum(overlaps.values(), Overlap(0, 0, 0))
    table = report(overlaps)
    assert total.share < MAX_SHARE, f"too much of the 七五 text is the source's:\n{table}"
    assert all(o.share < MAX_SHARE_PER_FILE for o in overlaps.values()), f"a section is too close:\n{table}"
    assert total.longest <= MAX_RUN, f"a run copied from the source is too long:\n{table}"


@pytest.mark.parametrize(
    ("section", "facts"),
    [
        ("leadership", ("汪刚", "2019年")),
        ("study", ("不少于2次", "3次", "《中华人民共和国宪法修正案》", "《中华人民共和国行政许可法》")),
        ("publicity", ("1000余册", "14种", "失泄密事故", "阳逻在线网站")),
        ("assessment", ("96分以上", "学时积分")),
        ("integration", ("红旗社区", "“防控疫情、法治同行”", "信访")),
        (
            "news",
            (
                "2016",
                "2020",
                "汪刚",
                "2019年",
                "不少于2次",
                "不少于3次",
                "学时积分",
                "96分以上",
                "“12·4”",
                "1000余册",
                "失泄密事故",
                "全民国家安全教育日",
                "14种",
                "“防控疫情、法治同行”",
                "信访",
                "矛盾纠纷",
                "下沉社区",
            ),
        ),
    ],
)
def test_qiwu_narratives_keep_the_sources_facts(section: str, facts: tuple[str, ...]) -> None:
    path = QIWU_NEWS if section == "news" else UNIT / "qiwu" / f"{section}.zh.md"
    text = path.read_text(encoding="utf-8")
    assert [f for f in facts if f not in text] == []


# --------------------------------------------------------------------------- (b) the 八五 sample data


@functools.cache
def read_yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def year(y: int) -> dict:
    return read_yaml(UNIT / f"{y}.yaml")


def registry() -> dict:
    return read_yaml(CONTENT / "observances.yaml")


def kinds() -> dict[str, dict]:
    return {k["id"]: k for k in registry()["kinds"]}


def number(value: object) -> tuple[int, str]:
    """``约2900`` → ``(2900, "约")``, ``300余`` → ``(300, "余")``, ``44`` → ``(44, "")``."""
    match = re.fullmatch(r"(约)?([\d,]+)(余)?", str(value))
    assert match, f"not a count: {value!r}"
    return int(match.group(2).replace(",", "")), match.group(1) or match.group(3) or ""


def publicity(record: dict) -> list[dict]:
    return [e for e in record["events"] if not kinds()[e["kind"]].get("internal")]


def title(item: dict) -> str:
    return item["title"]["zh"] if isinstance(item["title"], dict) else item["title"]


def test_sample_bawu_events_are_the_district_committee_offices_own_work() -> None:
    known = {
        "observance": {o["id"] for o in registry()["observances"]},
        "campaign": {c["id"] for c in registry()["campaigns"]},
        "kind": set(kinds()),
    }
    for y in YEARS:
        record = year(y)
        assert record["sample"] is True
        for event in record["events"]:
            where = f"{y} {event['date']} {title(event)}"
            assert event.get("kind"), f"{where}: unclassified"
            for slot, ids in known.items():
                assert event.get(slot) is None or event[slot] in ids, f"{where}: unknown {slot}"
                assert event.get(slot) not in OTHER_BUREAUS, f"{where}: {OTHER_BUREAUS.get(event.get(slot))}"
            assert not [w for w in OTHER_BUREAUS_WORDS if w in title(event)], f"{where}: another bureau's work"


def test_sample_bawu_years_differ_from_each_other() -> None:
    records = {y: year(y) for y in YEARS}
    counts = {y: len(publicity(r)) for y, r in records.items()}
    assert len(set(counts.values())) == len(counts), f"each year should hold a different number of events: {counts}"
    assert all(15 <= c <= 30 for c in counts.values()), counts
    titles = {y: [title(e) for e in r["events"]] for y, r in records.items()}
    assert len({tuple(t) for t in titles.values()}) == len(titles), "two years have the same events"
    for field in ("figures", "trainings"):
        values = [yaml.safe_dump(r[field], allow_unicode=True) for r in records.values()]
        assert len(set(values)) == len(values), f"two years report the same {field}"
    funding = [tuple(title(i) for i in r["funding"]["items"]) for r in records.values()]
    assert len(set(funding)) > 2, "the funding items should change from year to year"
    occasions = [Counter(e.get("observance") or e.get("campaign") for e in r["events"]) for r in records.values()]
    assert all(a != b for i, a in enumerate(occasions) for b in occasions[i + 1 :]), "each year stresses other days"


def test_the_epidemic_year_is_online_heavy() -> None:
    online = {y: [e for e in publicity(year(y)) if kinds()[e["kind"]].get("online")] for y in YEARS}
    share = {y: len(online[y]) / len(publicity(year(y))) for y in YEARS}
    assert share[2022] > 0.5 and share[2022] == max(share.values()), share


def test_sample_attendance_is_plausible_for_the_event() -> None:
    for y in YEARS:
        for event in year(y)["events"]:
            where = f"{y} {event['date']} {title(event)}"
            count, qualifier = number(event["participants"])
            kind = kinds()[event["kind"]]
            if kind.get("online"):
                assert qualifier == "约" and ONLINE[0] <= count <= ONLINE[1], f"{where}: online reach {count}"
            elif kind.get("internal"):
                assert count <= DISTRICT_MEETING, f"{where}: {count} at a work meeting"
            elif event["audience"] == ["functionaries"]:
                assert 10 <= count <= STAFF, f"{where}: {count} of the office's own staff"
            else:
                assert ON_SITE[0] <= count <= ON_SITE[1], f"{where}: {count} present"


def test_the_periods_occasions_are_those_of_its_years() -> None:
    period = read_yaml(UNIT / "bawu.yaml")
    for slot in ("observance", "campaign"):
        used = {e[slot] for y in YEARS for e in year(y)["events"] if e.get(slot)}
        assert set(period[f"{slot}s"]) == used, slot


def test_reported_media_channels_cover_the_media_named() -> None:
    for y in YEARS:
        record = year(y)
        named = {m for e in record["events"] for m in e.get("media", [])}
        assert number(record["figures"]["media_channels"])[0] >= len(named), y


# --------------------------------------------------------------------------- (c) translations in step


def narratives() -> list[Path]:
    found = sorted(UNIT.glob("20*.zh.md")) + sorted((UNIT / "qiwu").glob("*.zh.md"))
    return found + sorted((UNIT / "bawu").glob("*.zh.md"))


_PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")


def blocks(text: str) -> int:
    """Paragraphs and list items."""
    return len([b for b in re.split(r"\n\s*\n|\n(?=\s*- )", text.strip()) if b.strip()])


def big_numbers(text: str) -> set[int]:
    return {int(n) for n in re.findall(r"\d{3,}", _PLACEHOLDER.sub("", text).replace(",", ""))}


def test_every_narrative_has_its_english_version_or_says_it_has_none() -> None:
    zh = narratives()
    assert len(zh) >= 15
    for path in zh:
        english = path.with_name(path.name.replace(".zh.md", ".en.md"))
        text = path.read_text(encoding="utf-8")
        assert english.exists() or UNTRANSLATED in text, f"{path.relative_to(ROOT)}: no English and no notice"
        assert not (english.exists() and UNTRANSLATED in text), f"{path.relative_to(ROOT)}: the notice is stale"
    for english in [*UNIT.glob("*.en.md"), *UNIT.glob("*/*.en.md")]:
        assert english.with_name(english.name.replace(".en.md", ".zh.md")).exists(), english


@pytest.mark.parametrize("path", narratives(), ids=lambda p: p.relative_to(UNIT).as_posix())
def test_english_narratives_say_what_the_chinese_say(path: Path) -> None:
    english = path.with_name(path.name.replace(".zh.md", ".en.md"))
    if not english.exists():
        pytest.skip("left untranslated on purpose")
    zh, en = path.read_text(encoding="utf-8"), english.read_text(encoding="utf-8")
    assert Counter(_PLACEHOLDER.findall(zh)) == Counter(_PLACEHOLDER.findall(en)), "different figures"
    assert blocks(zh) == blocks(en), "different paragraphs"
    assert big_numbers(zh) == big_numbers(en), "different years or numbers"


@pytest.mark.parametrize("path", [p for p in narratives() if "qiwu" not in p.parts], ids=lambda p: p.name)
def test_bawu_narratives_take_their_counts_from_the_data(path: Path) -> None:
    """A count typed into the text drifts from the data: the 八五 narratives use ``{{ events }}`` and the like."""
    text = _PLACEHOLDER.sub("", path.read_text(encoding="utf-8"))
    assert re.findall(r"\d[\d,.]*\s*(?:场|人次|次|万?元|分|份|册)", text) == []


if __name__ == "__main__":
    sys.stdout.write(fingerprint_text(Path(sys.argv[1]).read_text(encoding="utf-8")))
