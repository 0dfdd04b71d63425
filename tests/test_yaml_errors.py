"""Broken YAML and broken files as office editors produce them, through the real ``check``.

Each test breaks one thing in an otherwise valid site and asserts: exit code 1, the file,
the line (and column where it means something) and a key phrase of the message.
"""

from __future__ import annotations

import pytest

from conftest import (
    MINIMAL_SITE,
    YEAR_FILE,
    YEAR_YAML,
    check,
    check_json,
    event,
    expect,
    problems,
)
from sitegen.content.loader import load_content

NEWS = "news/2021-07-26-lecture.zh.md"


def news(front: str, body: str = "正文。\n") -> dict[str, str]:
    return {NEWS: f"---\n{front}---\n{body}"}


def cli_errors(site, files) -> list[dict]:
    """Run ``check`` on the minimal site overlaid with ``files``; it must fail with exit 1."""
    code, found, _ = check_json(site(files))
    assert code == 1, found
    return found


# --------------------------------------------------------------------------- syntax errors


def test_bad_indentation(site):
    text = "events:\n  - date: 2021-12-04\n    title: 宪法宣传\n   kind: lecture\n"
    found = cli_errors(site, {YEAR_FILE: text})
    expect(found, YEAR_FILE, 4, 4, "not aligned", "缩进")


def test_over_indented_key(site):
    text = "events:\n  - date: 2021-12-04\n    title: 宪法宣传\n      kind: lecture\n"
    found = cli_errors(site, {YEAR_FILE: text})
    expect(found, YEAR_FILE, 4, None, "check the indentation of the line above")


def test_unclosed_quote(site):
    text = 'events:\n  - date: 2021-12-04\n    title: "宪法宣传\n    kind: lecture\n'
    found = cli_errors(site, {YEAR_FILE: text})
    assert len(found) == 1
    assert "A quote is not closed" in found[0]["en"] and "引号没有配对" in found[0]["zh"]


def test_unclosed_quote_points_at_the_opening_quote(site):
    text = 'events:\n  - date: 2021-12-04\n    title: "宪法宣传\n    kind: lecture\n'
    found = problems(site({YEAR_FILE: text}))
    expect(found, YEAR_FILE, 3, 12, "A quote is not closed")


def test_unclosed_bracket(site):
    text = "events:\n  - date: 2021-12-04\n    media: [新洲发布, 区电视台\n    kind: lecture\n"
    found = cli_errors(site, {YEAR_FILE: text})
    assert len(found) == 1
    assert "bracket [ ]" in found[0]["en"] and "方括号" in found[0]["zh"]


@pytest.mark.parametrize("after", ["    kind: lecture\n", ""])
def test_unclosed_bracket_points_at_the_opening_bracket(site, after):
    text = "events:\n  - date: 2021-12-04\n    title: 宪法宣传\n    media: [新洲发布, 区电视台\n" + after
    found = problems(site({YEAR_FILE: text}))
    expect(found, YEAR_FILE, 4, 12, "bracket")


def test_second_document_marker(site):
    found = cli_errors(site, {YEAR_FILE: YEAR_YAML + "---\nevents: []\n"})
    expect(found, YEAR_FILE, 7, 1, "only one YAML document")


def test_control_character(site):
    found = cli_errors(site, {YEAR_FILE: event(title="Law\x07Day")})
    expect(found, YEAR_FILE, 3, 15, "U+0007", "不允许的特殊字符")


def test_control_character_after_chinese_text(site):
    found = problems(site({YEAR_FILE: event(title="宪法\x07宣传")}))
    expect(found, YEAR_FILE, 3, 14, "U+0007")


# --------------------------------------------------------------------------- typing mistakes (lints)


def test_tab_in_indentation(site):
    text = "events:\n  - date: 2021-12-04\n  \ttitle: 宪法宣传\n"
    found = cli_errors(site, {YEAR_FILE: text})
    expect(found, YEAR_FILE, 3, 3, "A tab is used for indentation", "Tab 制表符")


def test_fullwidth_colon_after_key(site):
    text = event(title=None).replace("    observance", "    title：abc\n    observance")
    found = cli_errors(site, {YEAR_FILE: text})
    assert len(found) == 1
    expect(found, YEAR_FILE, 3, 10, 'full-width colon "："', "全角冒号")


def test_fullwidth_space_in_indentation(site):
    text = "events:\n  - date: 2021-12-04\n\u3000  title: 宪法宣传\n"
    found = cli_errors(site, {YEAR_FILE: text})
    expect(found, YEAR_FILE, 3, 1, "full-width space", "全角空格")


def test_fullwidth_dash_list_item(site):
    text = "events:\n－ date: 2021-12-04\n"
    found = cli_errors(site, {YEAR_FILE: text})
    expect(found, YEAR_FILE, 2, 1, 'Type "- "', "半角减号")


def test_missing_space_after_colon(site):
    text = event(title=None).replace("    observance", "    title:abc\n    observance")
    found = cli_errors(site, {YEAR_FILE: text})
    assert len(found) == 1
    expect(found, YEAR_FILE, 3, 10, 'no space after the colon of "title:"', "缺少空格")


def test_fullwidth_colon_right_after_a_block_scalar(site):
    text = (
        "events:\n  - date: 2021-12-04\n    description: |\n      讲座内容\n"
        "    title：宪法宣传\n    observance: constitution-day\n"
    )
    found = problems(site({YEAR_FILE: text}))
    expect(found, YEAR_FILE, 5, 10, "full-width colon")


def test_block_scalar_content_is_not_linted(site):
    text = event(description="|\n      note：上午九点\n      note:abc\n      \u3000\u3000全文\n      \t缩进")
    assert problems(site({YEAR_FILE: text})) == []


def test_duplicate_key_names_the_first_line(site):
    text = event(extra="x").replace("    extra: x\n", "    title: 又一个标题\n")
    found = cli_errors(site, {YEAR_FILE: text})
    err = expect(found, YEAR_FILE, 7, 5, 'The key "title" appears twice', "already on line 3")
    assert "第 3 行" in err["zh"]


def test_duplicate_key_in_front_matter_names_the_first_line(site):
    front = "title: 甲\ndate: 2021-07-26\ntitle: 乙\nsource: 办公室\n"
    found = problems(site(news(front)))
    err = expect(found, NEWS, 4, 1, "already on line 2")
    assert "第 2 行" in err["zh"]


# --------------------------------------------------------------------------- encodings


def test_gbk_file(site):
    found = cli_errors(site, {YEAR_FILE: "events:\n  - date: 2021-12-04\n    title: 标题\n".encode("gbk")})
    err = expect(found, YEAR_FILE, 3, 12, "GBK", "UTF-8", "Save As", "另存为")
    assert err["source_line"] == "    title: 标题"  # shown decoded, so the editor recognises the line


def test_gbk_single_line(site):
    found = cli_errors(site, {YEAR_FILE: "标题".encode("gbk")})
    expect(found, YEAR_FILE, 1, 1, "GBK", "UTF-8")


def test_utf16_file(site):
    found = cli_errors(site, {YEAR_FILE: YEAR_YAML.encode("utf-16")})
    expect(found, YEAR_FILE, 0, 0, "UTF-16", "UTF-8", "另存为")


def test_bom_and_crlf_are_accepted(site):
    crlf = {name: "\ufeff" + text.replace("\n", "\r\n") for name, text in MINIMAL_SITE.items()}
    code, out, err = check(site(crlf))
    assert (code, out) == (0, ""), out + err
    assert "Content OK" in err


def test_crlf_keeps_line_numbers(site):
    text = "\ufeff" + event(partcipants="12").replace("\n", "\r\n")
    found = cli_errors(site, {YEAR_FILE: text})
    err = expect(found, YEAR_FILE, 7, 5, "partcipants")
    assert err["source_line"] == "    partcipants: 12"  # no stray \r


# --------------------------------------------------------------------------- empty and unsafe files


@pytest.mark.parametrize("text", ["", "\n\n", "# 2021 年的活动\n# 稍后补充\n"], ids=["empty", "blank", "comments"])
def test_empty_yaml_file(site, text):
    found = cli_errors(site, {YEAR_FILE: text})
    expect(found, YEAR_FILE, 1, 0, "The file is empty", "文件是空的")


def test_python_tag_is_rejected_and_not_executed(site, tmp_path):
    marker = tmp_path / "pwned"
    text = f'events: !!python/object/apply:os.system ["echo pwned > {marker}"]\n'
    found = cli_errors(site, {YEAR_FILE: text})
    expect(found, YEAR_FILE, 1, 9, "is not allowed", "python/object/apply")
    assert not marker.exists()


@pytest.mark.parametrize("tag", ["!custom", "!!binary", "!!set", "!!omap"])
def test_other_tags_are_rejected(site, tag):
    found = cli_errors(site, {YEAR_FILE: event(title=f"{tag} abc")})
    expect(found, YEAR_FILE, 3, 12, "is not allowed")


def test_alias_bomb(site):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]" for i in range(8)]
    found = cli_errors(site, {YEAR_FILE: "\n".join(lines) + "\n"})
    expect(found, YEAR_FILE, 1, 4, "Anchors and aliases", "锚点")


def test_alias_without_anchor(site):
    found = cli_errors(site, {YEAR_FILE: event(title="*title")})
    expect(found, YEAR_FILE, 3, 12, "Anchors and aliases")


def test_deep_nesting(site):
    found = cli_errors(site, {YEAR_FILE: "[" * 100_000})
    assert len(found) == 1
    # Our limit (64 levels) or, with newer libyaml builds, libyaml's own (1000) that its scanner
    # reaches first while looking ahead: either way one located error, no crash.
    err = found[0]
    assert (err["line"], err["column"]) in {(1, 65), (1, 1001)}, err
    assert "nested too deeply" in err["en"] or "bracket" in err["en"]
    assert len(err["source_line"]) == 100_000


def test_nesting_limit(site):
    found = cli_errors(site, {YEAR_FILE: "a: " + "[" * 200 + "]" * 200 + "\n"})
    expect(found, YEAR_FILE, 1, 67, "nested too deeply (more than 64 levels)", "嵌套层次太深")


def test_deep_block_nesting(site):
    text = "".join(" " * (2 * i) + f"k{i}:\n" for i in range(200))
    found = cli_errors(site, {YEAR_FILE: text})
    expect(found, YEAR_FILE, 64, 127, "nested too deeply")


def test_huge_file(site):
    big = "# " + "注" * (2 * 1024 * 1024) + "\n"  # 3 bytes a character: over 5 MB
    found = cli_errors(site, {YEAR_FILE: big})
    expect(found, YEAR_FILE, 0, 0, "too large", "5 MB", "拆分")


# --------------------------------------------------------------------------- Markdown front matter


def test_unclosed_front_matter(site):
    found = cli_errors(site, {NEWS: "---\ntitle: 标题\ndate: 2021-07-26\nsource: 办公室\n\n正文。\n"})
    expect(found, NEWS, 1, 1, "never closed", "没有结束")


def test_front_matter_error_has_the_file_line(site):
    found = cli_errors(site, news("title: 标题\ndate: 2021-07-26\nsource：办公室\n"))
    expect(found, NEWS, 4, 7, "full-width colon")


def test_news_without_front_matter(site):
    found = cli_errors(site, {NEWS: "# 标题\n\n正文。\n"})
    expect(found, NEWS, 1, 0, "front matter")


# --------------------------------------------------------------------------- files and folders


@pytest.mark.parametrize(
    ("name", "phrase"),
    [
        ("units/demo/2021.yml", "instead of .yml"),
        ("units/demo/notes.txt", 'Unknown file or folder "notes.txt"'),
        ("units/demo/2021年.yaml", "Unknown file or folder"),
        ("units/demo/bawu/summary.zh.md", "Unknown file or folder"),
        ("news/notes.txt", "Unknown file or folder"),
        ("sites.yaml", 'Did you mean "site.yaml"'),
    ],
)
def test_unknown_file(site, name, phrase):
    files = {name: YEAR_YAML}
    if name.startswith("units/demo/bawu/"):
        files["units/demo/bawu.yaml"] = "sample: true\n"
    found = cli_errors(site, files)
    expect(found, name, 0, 0, phrase)


def test_ignored_files_are_not_content(site):
    files = {
        "units/demo/~$2021.yaml": b"\x00",
        "units/demo/.DS_Store": b"\x00",
        "units/demo/2021.yaml.bak": "x",
    }
    assert problems(site(files)) == []


def test_unit_folder_with_a_chinese_name(site):
    found = cli_errors(site, {"units/演示单位/unit.yaml": "name: 演示单位\n"})
    expect(found, "units/演示单位", 0, 0, "lowercase letters, digits and hyphens", "编号")


def test_unit_folder_without_unit_yaml(site):
    found = cli_errors(site, {"units/other/2021.yaml": YEAR_YAML})
    expect(found, "units/other/unit.yaml", 0, 0, "no unit.yaml")


def test_folder_named_like_a_year_file(site):
    root = site()
    (root / "units/demo/2022.yaml").mkdir()
    code, out, err = check(root)
    assert code == 1 and "Traceback" not in out + err


# --------------------------------------------------------------------------- issue 13: the right line


@pytest.mark.parametrize(
    ("line", "column", "phrase"),
    [
        ("\u00a0\u00a0\u00a0\u00a0title: 宪法宣传", 1, "non-breaking space (U+00A0"),
        ("  \u00a0 title: 宪法宣传", 3, "non-breaking space (U+00A0"),
        ("\u3000\u3000title: 宪法宣传", 1, "full-width space (U+3000"),
        ("  -\u00a0title: 宪法宣传", 4, "non-breaking space (U+00A0"),
        ("    title:\u00a0宪法宣传", 11, 'The colon of "title:" is followed by a non-breaking space'),
        ("    title:\u3000宪法宣传", 11, 'The colon of "title:" is followed by a full-width space'),
    ],
)
def test_odd_spaces_from_word_are_on_their_line(site, line, column, phrase):
    text = f"events:\n  - date: 2021-12-04\n{line}\n    kind: lecture\n"
    found = cli_errors(site, {YEAR_FILE: text})
    assert len(found) == 1, found
    expect(found, YEAR_FILE, 3, column, phrase)


def test_non_breaking_space_in_unit_yaml(site):
    found = cli_errors(site, {"units/demo/unit.yaml": "name:\n\u00a0\u00a0zh: 演示单位\n"})
    assert len(found) == 1, found
    expect(found, "units/demo/unit.yaml", 2, 1, "non-breaking space", "不换行空格")


def test_unclosed_quote_at_the_end_of_the_file_says_where_it_opened(site):
    found = cli_errors(site, {YEAR_FILE: 'events:\n  - date: 2021-12-04\n    kind: lecture\n    title: "国家宪法日\n'})
    assert len(found) == 1, found
    expect(found, YEAR_FILE, 4, 12, "A quote is not closed", "the quote that opens here", "引号没有配对")


def test_unclosed_quote_closed_by_a_later_quote_points_where_it_opened(site):
    text = MINIMAL_SITE["site.yaml"].replace("organizer: 某区委办公室", 'organizer: "某区委办公室')
    found = cli_errors(site, {"site.yaml": text})
    assert len(found) == 1, found  # site_id_code: "4201170001" on line 6 holds the next quote
    expect(found, "site.yaml", 4, 12, "A quote is not closed", "the next quote is on line 6")


def test_unclosed_quote_in_front_matter_counts_file_lines(site):
    found = cli_errors(site, news('title: "国家宪法日\ndate: "2021-07-26"\nsource: 某办\n'))
    assert len(found) == 1, found
    expect(found, NEWS, 2, 8, "A quote is not closed", "line 3")


def test_news_without_date_points_at_the_front_matter_with_the_file_name_date(site):
    found = cli_errors(site, news("title: 法治讲座\nsource: 某办\n"))
    assert len(found) == 1, found
    expect(found, NEWS, 1, 1, 'has no "date"', "date: 2021-07-26", "缺少必填项")


def test_several_repeated_keys_and_a_tab_after_a_syntax_error_all_reported(site):
    text = "events:\n  - date: 2021-12-04\n    title: [宪法\n    kind: lecture\n\tparticipants: 1\n"
    found = problems(site({YEAR_FILE: text, "units/demo/unit.yaml": "name: a\nname: b\nname: c\n"}))
    expect(found, YEAR_FILE, 3, 12, "bracket")
    expect(found, YEAR_FILE, 5, 1, "tab")
    expect(found, "units/demo/unit.yaml", 2, 1, "appears twice")
    expect(found, "units/demo/unit.yaml", 3, 1, "appears twice")
    assert len(found) == 4, found


def test_block_scalar_after_a_syntax_error_is_not_linted(site):
    text = "events:\n  - date: [2021-12-04\n    title: 宪法宣传\n    description: |\n"
    text += "      note：上午九点\n      \u3000\u3000全文\n"
    found = problems(site({YEAR_FILE: text}))
    assert len(found) == 1, found
    expect(found, YEAR_FILE, 2, 11, "bracket")


def test_repeated_key_holding_a_block_is_left_out_and_the_rest_checked(site):
    text = "name: 演示单位\nname:\n  zh: 另一个\n  en: Other\norder: 一\n"
    found = problems(site({"units/demo/unit.yaml": text}))
    assert len(found) == 2, found
    expect(found, "units/demo/unit.yaml", 2, 1, 'The key "name" appears twice')
    expect(found, "units/demo/unit.yaml", 5, 8, "is not a number")


# --------------------------------------------------------------------------- invisible line ends


@pytest.mark.parametrize("separator", ["\x85", "\u2028", "\u2029"], ids=["NEL", "LS", "PS"])
def test_invisible_line_ends_keep_lines_and_are_warned_about(site, separator):
    text = event(title=f"宪法{separator}宣传", partcipants="12").replace("events:", f"# 备注{separator}x\nevents:")
    found = problems(site({YEAR_FILE: text}))
    assert len(found) == 3, found  # the comment's rest is not read as data
    expect(found, YEAR_FILE, 1, 5, "invisible", f"U+{ord(separator):04X}", "看不见", severity="warning")
    expect(found, YEAR_FILE, 4, 14, "invisible", severity="warning")
    expect(found, YEAR_FILE, 8, 5, "partcipants")


def test_invisible_line_end_alone_is_a_warning_and_read_as_a_space(site):
    content = load_content(site({YEAR_FILE: event(title="宪法\u2028宣传")}))
    assert content.unit("demo").years[2021].record.events[0].title.zh == "宪法 宣传"
    assert [(w.line, w.column, w.severity) for w in content.warnings] == [(3, 14, "warning")]


def test_invisible_line_end_in_front_matter_is_warned_about_on_its_file_line(site):
    found = load_content(site(news("title: 法治\u2029讲座\ndate: 2021-07-26\nsource: 某办\n"))).warnings
    assert len(found) == 1, found
    expect(found, NEWS, 2, 10, "U+2029", severity="warning")
