"""``python build.py check``: exit codes, the three output formats, all problems in one run."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest

from conftest import (
    PERIODS_YAML,
    ROOT,
    SITE_YAML,
    YEAR_FILE,
    YEAR_YAML,
    check,
    event,
)
from sitegen.errors import ContentError, format_github, format_text

OK = "Content OK"


def test_minimal_site_passes(site):
    code, out, err = check(site())
    assert code == 0, out + err
    assert out == ""
    assert OK in err and "内容检查通过" in err


def test_bundled_example_content_passes():
    code, out, err = check(ROOT / "content")
    assert code == 0, out + err
    assert "Traceback" not in out + err


# --------------------------------------------------------------------------- exit codes


def test_missing_footer_facts_are_warnings(site):
    facts = ("site_id_code", "icp", "police_record")
    bare = "".join(line + "\n" for line in SITE_YAML.splitlines() if not line.startswith(facts))
    code, out, err = check(site({"site.yaml": bare}))
    assert code == 0, out + err
    assert out.count(": warning: ") == 3
    for fact in facts:
        assert f"site.yaml has no {fact}" in out
    assert "0 error(s), 3 warning(s)" in err and OK in err

    code, out, err = check(site({"site.yaml": bare}), "--strict")
    assert code == 1
    assert OK not in err


@pytest.mark.parametrize("args", [["--format", "xml"], ["--bogus"]])
def test_usage_errors_exit_2(site, args):
    code, _, err = check(site(), *args)
    assert code == 2
    assert "usage:" in err


def test_not_a_content_folder(tmp_path):
    code, out, err = check(tmp_path / "nowhere")
    assert code == 1
    assert "site.yaml is missing" in out and "Traceback" not in out + err


# --------------------------------------------------------------------------- output formats

BROKEN = {YEAR_FILE: event(partcipants="12", title="宪法宣传: 讲座")}
# line 3: "    title: 宪法宣传: 讲座" -> a colon at column 16; line 7: the misspelt field at column 5.


def test_text_format(site):
    root = site(BROKEN)
    code, out, err = check(root)
    assert code == 1
    path = (root / YEAR_FILE).as_posix()
    blocks = out.strip().split("\n\n")
    assert len(blocks) == 1  # the syntax error stops this file before validation
    lines = blocks[0].split("\n")
    assert lines[0].startswith(f"{path}:3:16: error: 这里不应出现冒号。")
    assert lines[1].startswith("    A colon is not allowed here.")
    assert lines[2] == "    3 |     title: 宪法宣传: 讲座"
    # The caret sits under the colon: Chinese characters take two cells in a terminal.
    assert lines[3] == "      | " + " " * (4 + 7 + 2 * 4) + "^"
    assert "1 error(s), 0 warning(s)" in err


def test_github_format(site):
    root = site({YEAR_FILE: event(partcipants="12")})
    code, out, _ = check(root, "--format", "github")
    assert code == 1
    path = (root / YEAR_FILE).as_posix().replace(":", "%3A").replace(",", "%2C")
    assert out.splitlines() == [
        f"::error file={path},line=7,col=5::未知字段“partcipants”。是否想写“participants”？ / "
        f'Unknown field "partcipants". Did you mean "participants"?'
    ]


JSON_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["path", "line", "column", "zh", "en", "source_line", "severity"],
        "properties": {
            "path": {"type": "string"},
            "line": {"type": "integer", "minimum": 0},
            "column": {"type": "integer", "minimum": 0},
            "zh": {"type": "string", "minLength": 1},
            "en": {"type": "string", "minLength": 1},
            "source_line": {"type": "string"},
            "severity": {"enum": ["error", "warning"]},
        },
    },
}


def test_json_format(site):
    root = site({YEAR_FILE: event(partcipants="12"), "site.yaml": SITE_YAML.replace("icp:", "# icp:")})
    code, out, _ = check(root, "--format", "json")
    assert code == 1
    found = json.loads(out)
    jsonschema.validate(found, JSON_SCHEMA)
    assert [(e["severity"], e["line"], e["column"]) for e in found] == [("warning", 1, 1), ("error", 7, 5)]
    error = found[1]
    assert error["path"].endswith("content/units/demo/2021.yaml")
    assert error["source_line"] == "    partcipants: 12"
    assert "participants" in error["zh"] and 'Did you mean "participants"' in error["en"]


def test_json_format_when_all_is_well(site):
    code, out, _ = check(site(), "--format", "json")
    assert code == 0 and out == ""


# --------------------------------------------------------------------------- all problems at once


def test_every_problem_of_a_build_in_one_run(site):
    root = site(
        {
            "site.yaml": SITE_YAML + "titel: 普法网\n",  # line 9
            YEAR_FILE: event(partcipants="12", materials="1,2"),  # lines 7 and 8
            "units/demo/unit.yaml": "name: 演示单位\n\torder: 1\n",  # line 2
            "periods.yaml": PERIODS_YAML.replace("status: active", "status: activ"),  # line 6
        }
    )
    code, out, err = check(root)
    assert code == 1
    heads = re.findall(r"^(\S+?):(\d+):(\d+): error: ", out, flags=re.M)
    where = [(path.split("/content/")[1], int(line)) for path, line, _ in heads]
    assert where == [
        ("periods.yaml", 6),
        ("site.yaml", 9),
        ("units/demo/2021.yaml", 7),
        ("units/demo/2021.yaml", 8),
        ("units/demo/unit.yaml", 2),
    ]
    assert "5 error(s), 0 warning(s)" in err


# --------------------------------------------------------------------------- never a traceback

BROKEN_SITES = {
    "syntax": {YEAR_FILE: "events:\n  - date: 2021-12-04\n   title: x\n"},
    "tab": {YEAR_FILE: "events:\n\t- date: 2021-12-04\n"},
    "gbk": {YEAR_FILE: "标题".encode("gbk")},
    "utf16": {YEAR_FILE: YEAR_YAML.encode("utf-16")},
    "nul bytes": {YEAR_FILE: b"a: \x00\x00\n"},
    "binary": {YEAR_FILE: bytes(range(256))},
    "empty": {YEAR_FILE: ""},
    "scalar document": {YEAR_FILE: "just text\n"},
    "list document": {"site.yaml": "- a\n- b\n"},
    "null key": {YEAR_FILE: "~: 1\n"},
    "complex key": {YEAR_FILE: "? [a, b]\n: 1\n"},
    "tag": {YEAR_FILE: "events: !!python/name:os.system\n"},
    "bomb": {YEAR_FILE: "a: &a [x, x]\nb: [*a, *a]\n"},
    "deep": {YEAR_FILE: "{" * 50_000},
    "front matter list": {"news/2021-07-26-a.zh.md": "---\n- a\n---\n正文\n"},
    "front matter only": {"news/2021-07-26-a.zh.md": "---"},
    "english only news": {"news/2021-07-26-a.en.md": "---\ntitle: A\n---\nBody\n"},
    "chinese news id": {"news/宪法讲座.zh.md": "---\ntitle: 标题\ndate: 2021-07-26\nsource: 办公室\n---\n"},
    "no periods": {"periods.yaml": None},
    "empty periods": {"periods.yaml": "periods: []\n"},
    "units is a file": {"units/demo/unit.yaml": None, YEAR_FILE: None, "units": "x"},
    "report folder without yaml": {"units/demo/bawu/overview.zh.md": "总结\n"},
}


@pytest.mark.parametrize("files", BROKEN_SITES.values(), ids=BROKEN_SITES.keys())
def test_no_traceback_for_content_problems(site, files):
    code, out, err = check(site(files))
    assert "Traceback" not in out + err, out + err
    assert code == 1, out + err
    assert re.search(r": error: ", out), out


def test_news_on_the_same_day_with_and_without_time(site):
    def item(title: str, when: str) -> str:
        return f"---\ntitle: {title}\ndate: {when}\nsource: 区委办公室\n---\n正文。\n"

    files = {
        "news/2021-07-26-a.zh.md": item("甲", "2021-07-26 09:33"),
        "news/2021-07-26-b.zh.md": item("乙", "2021-07-26"),
    }
    code, out, err = check(site(files))
    assert "Traceback" not in err
    assert code == 0, out + err


# --------------------------------------------------------------------------- formatting details


def test_caret_under_wide_characters():
    err = ContentError("a.yaml", 2, 4, "中", "en", source_line="标题：x")
    assert format_text(err).splitlines()[-1] == "      | " + " " * 6 + "^"


def test_long_lines_are_shown_as_a_window():
    err = ContentError("a.yaml", 1, 5000, "中", "en", source_line="x" * 10_000)
    shown, caret = format_text(err).splitlines()[-2:]
    assert len(shown) < 120 and shown.count("…") == 2
    assert caret.index("^") < len(shown)
    assert shown[caret.index("^")] == "x"


def test_file_level_problem_has_no_line():
    err = ContentError("units/demo/2021.yml", 0, 0, "请改名。", "Rename it.")
    assert format_text(err) == "units/demo/2021.yml: error: 请改名。\n    Rename it."
    assert format_github(err) == "::error file=units/demo/2021.yml::请改名。 / Rename it."


def test_github_escaping():
    err = ContentError("C:/a,b/x.yaml", 3, 1, "第一行\n第二行 100%", "en")
    assert format_github(err) == "::error file=C%3A/a%2Cb/x.yaml,line=3,col=1::第一行%0A第二行 100%25 / en"
