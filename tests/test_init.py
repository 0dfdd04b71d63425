"""``sitegen init``, the bundled theme and placeholders that never publish.

The new site is checked and built by the real command line, run in the site's folder as an
office would run it; the wheel test installs the built wheel into a fresh virtual environment
and does the same there, far from this checkout.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, SITE_YAML, YEAR_FILE, YEAR_YAML, check
from sitegen import __version__
from sitegen.content import placeholders
from sitegen.site import theme, vendor

FLAGS = ["--name", "某区普法网", "--unit", "district-office", "--unit-name", "中共某区委办公室", "--year", "2026"]

PLACEHOLDER_KEYS = ("base_url", "site_id_code", "icp", "police_record", "phone", "email", "address", "postcode")
"""The keys of site.yaml that stay placeholders after ``init`` with FLAGS (one line each)."""

REAL_FACTS = {
    "base_url": "https://www.example.gov.cn/pufa/",
    "site_id_code": '"4201170001"',
    "icp": "鄂ICP备12345678号-1",
    "police_record": "鄂公网安备42011702000123号",
    "phone": "027-86912345",
    "email": "pufa@xinzhou.gov.cn",
    "postcode": '"430400"',
}


def sitegen(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The checkout's command line, run in ``cwd`` (the office's site folder)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "PYTHONIOENCODING": "utf-8", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "sitegen.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        env=env,
    )


@pytest.fixture
def new_site(tmp_path: Path) -> Path:
    proc = sitegen(tmp_path, "init", "site", "--yes", *FLAGS)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return tmp_path / "site"


def line_of(path: Path, pattern: str) -> int:
    """The 1-based number of the first line of ``path`` that matches ``pattern``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if re.search(pattern, line))


def fill_in(site: Path) -> None:
    """Replace every placeholder of a site made with FLAGS, as an office editor would."""
    path = site / "content" / "site.yaml"
    text = path.read_text(encoding="utf-8")
    for key, value in REAL_FACTS.items():
        text = re.sub(rf"(?m)^(\s*{key}:) \S+", lambda m, v=value: f"{m.group(1)} {v}", text)
    text = re.sub(r"(?m)^(    zh:) 待填写", r"\1 某市某区某路1号", text)  # contact.address.zh
    path.write_text(text, encoding="utf-8")
    for year in (site / "content" / "units").glob("*/[0-9]*.yaml"):  # 发布时间, written when the page goes out
        year.write_text(re.sub(r"(?m)^# (published: \S+ \S+).*$", r"\1", year.read_text(encoding="utf-8")), "utf-8")


# --------------------------------------------------------------------------- init


def test_init_writes_a_complete_site(new_site: Path) -> None:
    expected = [
        "content/site.yaml",
        "content/periods.yaml",
        "content/observances.yaml",
        "content/units/district-office/unit.yaml",
        "content/units/district-office/2026.yaml",
        "templates/README.md",
        ".gitignore",
        ".gitattributes",
        ".vscode/settings.json",
        ".vscode/extensions.json",
        ".github/workflows/pr.yml",
        ".github/workflows/deploy.yml",
        ".gitlab-ci.yml",
        "ci/pipeline.sh",
        "requirements.txt",
        "README.md",
        "schemas/site.schema.json",
        "schemas/year.schema.json",
    ]
    for rel in expected:
        assert (new_site / rel).is_file(), rel
    assert len(list((new_site / "content" / "news").glob("*-site-opens.zh.md"))) == 1
    assert not list(new_site.rglob("*.tmpl")) and not list(new_site.rglob("dot-*"))
    assert os.access(new_site / "ci" / "pipeline.sh", os.X_OK)
    assert f"pufa-sitegen=={__version__}" in (new_site / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert "redhat.vscode-yaml" in (new_site / ".vscode" / "extensions.json").read_text(encoding="utf-8")
    site = yaml.safe_load((new_site / "content" / "site.yaml").read_text(encoding="utf-8"))
    assert site["name"] == {"zh": "某区普法网"} and site["organizer"] == {"zh": "中共某区委办公室"}
    unit = yaml.safe_load((new_site / "content" / "units" / "district-office" / "unit.yaml").read_text("utf-8"))
    assert unit["name"] == {"zh": "中共某区委办公室"}
    assert not any(p.name.endswith(".schema.json") for p in (new_site / "templates").rglob("*"))


def test_ci_files_run_the_installed_sitegen(new_site: Path) -> None:
    texts = {p: p.read_text(encoding="utf-8") for p in [*(new_site / ".github" / "workflows").glob("*.yml")]}
    texts[new_site / "ci" / "pipeline.sh"] = (new_site / "ci" / "pipeline.sh").read_text(encoding="utf-8")
    for path, text in texts.items():
        assert "build.py" not in text, path
        assert "-r requirements.txt" in text, path
    assert "sitegen check --publish" in texts[new_site / ".github" / "workflows" / "deploy.yml"]
    assert "SITEGEN_PUBLISH=1" in (new_site / ".gitlab-ci.yml").read_text(encoding="utf-8")


def test_ci_files_are_valid_workflows(new_site: Path) -> None:
    for schema, files in (
        ("vendor.github-workflows", sorted((new_site / ".github" / "workflows").glob("*.yml"))),
        ("vendor.gitlab-ci", [new_site / ".gitlab-ci.yml"]),
    ):
        proc = subprocess.run(
            [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, *map(str, files)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "notes.txt").write_text("mine", encoding="utf-8")
    proc = sitegen(tmp_path, "init", "site", "--yes")
    assert proc.returncode == 2
    assert "not an empty folder" in proc.stderr and "不是空文件夹" in proc.stderr
    assert sorted(p.name for p in (tmp_path / "site").iterdir()) == ["notes.txt"]


def test_init_refuses_a_bad_unit_id(tmp_path: Path) -> None:
    proc = sitegen(tmp_path, "init", "site", "--yes", "--unit", "Bad Id")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert not (tmp_path / "site").exists()


def test_init_without_answers_leaves_placeholders(tmp_path: Path) -> None:
    proc = sitegen(tmp_path, "init", "site", "--yes")
    assert proc.returncode == 0, proc.stderr
    site = yaml.safe_load((tmp_path / "site" / "content" / "site.yaml").read_text(encoding="utf-8"))
    assert site["name"]["zh"] == placeholders.MARKER and site["organizer"]["zh"] == placeholders.MARKER


def test_init_asks_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from sitegen.cliargs import parser as _parser
    from sitegen.content.init import Answers, _answers

    replies = iter(["某区普法网", "中共某区委办公室", "", "district-office", "2027"])
    prompts: list[str] = []
    monkeypatch.setattr("builtins.input", lambda prompt: prompts.append(prompt) or next(replies))
    args = _parser().parse_args(["init", "site"])
    answers = _answers(args, interactive=True)
    assert answers == Answers("某区普法网", "中共某区委办公室", "district-office", "中共某区委办公室", 2027)
    assert len(prompts) == 5 and all(" / " in p for p in prompts)  # every question in Chinese and English
    assert "[中共某区委办公室]" in prompts[2]  # the organizer defaults to the unit's name


# --------------------------------------------------------------------------- check and build a new site


def test_new_site_passes_check_with_placeholders_as_warnings(new_site: Path) -> None:
    proc = sitegen(new_site, "check")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    site_yaml = new_site / "content" / "site.yaml"
    for key in PLACEHOLDER_KEYS:
        line = line_of(site_yaml, rf"^\s*{key}:")
        if key == "address":
            line += 1  # the value is on the next line, under zh:
        assert re.search(rf"^content/site\.yaml:{line}:\d+: warning: .*占位值", proc.stdout, re.M), (key, proc.stdout)
    assert "is still a placeholder" in proc.stdout
    assert "Content OK" in proc.stderr


def test_strict_check_fails_on_placeholders(new_site: Path) -> None:
    proc = sitegen(new_site, "check", "--strict")
    assert proc.returncode == 1
    assert "content/site.yaml:" in proc.stdout and "Traceback" not in proc.stderr


def test_check_for_publishing_fails_until_the_facts_are_filled_in(new_site: Path) -> None:
    proc = sitegen(new_site, "check", "--publish", "--format", "github")
    assert proc.returncode == 1
    line = line_of(new_site / "content" / "site.yaml", r"^icp:")
    assert f"::error file=content/site.yaml,line={line}," in proc.stdout

    fill_in(new_site)
    proc = sitegen(new_site, "check", "--publish")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "占位值" not in proc.stdout


def test_new_site_builds_with_the_bundled_theme_and_warns(new_site: Path) -> None:
    proc = sitegen(new_site, "build")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert re.search(r"content/site\.yaml:\d+:\d+: warning: .*占位值", proc.stderr)
    output = new_site / "output"
    assert (output / "zh" / "index.html").is_file() and (output / "en" / "index.html").is_file()
    [css] = (output / "assets").glob("site.*.css")
    assert css.read_bytes() == (theme.theme_dir() / "assets" / "site.css").read_bytes()
    assert "某区普法网" in (output / "zh" / "index.html").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- placeholders


@pytest.mark.parametrize(
    "value",
    ["待填写", "TODO: ICP备案号", "0000000000", "示ICP备00000000号", "000-00000000", "pufa@example.gov.cn", "示例市"],
)
def test_placeholder_values_are_recognised(value: str) -> None:
    assert placeholders.is_marked(value) or placeholders.is_sample(value)


@pytest.mark.parametrize(
    "value", ["鄂ICP备12345678号-1", "4201170001", "027-86000000", "pufa@xinzhou.gov.cn", "新洲区委办公室", "430400"]
)
def test_real_values_are_not_placeholders(value: str) -> None:
    assert not placeholders.is_marked(value) and not placeholders.is_sample(value)


def test_the_examples_sample_values_are_found_once_it_is_not_a_sample(tmp_path: Path) -> None:
    example = tmp_path / "content"
    shutil.copytree(ROOT / "content", example)
    site_yaml = example / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8").replace("sample: true", "sample: false"), "utf-8")
    code, out, err = check(example)
    assert code == 0, out + err
    for key in ("site_id_code", "icp", "police_record"):
        assert re.search(rf"site\.yaml:{line_of(site_yaml, rf'^{key}:')}:\d+: warning: ", out), key
    code, out, _ = check(example, "--strict")
    assert code == 1


def test_the_sample_site_itself_warns_of_nothing_but_cannot_be_published() -> None:
    code, out, err = check(ROOT / "content")
    assert code == 0 and "占位值" not in out, out + err
    code, out, _ = check(ROOT / "content", "--publish")
    assert code == 1
    assert f"site.yaml:{line_of(ROOT / 'content' / 'site.yaml', '^sample:')}:" in out
    assert "sample site" in out and "示ICP备00000000号" in out


def test_a_marked_value_in_any_content_file_is_found(site) -> None:
    root = site({"units/demo/unit.yaml": "name:\n  zh: 演示单位\n  en: TODO English name\n"})
    code, out, err = check(root)
    assert code == 0, out + err
    assert re.search(r"units/demo/unit\.yaml:3:\d+: warning: .*name\.en", out)


@pytest.mark.parametrize("written", ['"\\u5f85\\u586b\\u5199"', '"\\x54ODO English name"', "todo later"])
def test_a_marked_value_spelled_by_escapes_or_in_lower_case_is_found(site, written: str) -> None:
    """Files whose text holds no marker are not walked: a marker spelled by YAML escapes still is."""
    root = site({"units/demo/unit.yaml": f"name:\n  zh: 演示单位\n  en: {written}\n"})
    code, out, err = check(root)
    assert code == 0, out + err
    assert re.search(r"units/demo/unit\.yaml:3:\d+: warning: .*name\.en", out), out


MARK = "dzjg:\n  image: static/dzjg.svg\n  url: https://bszs.conac.cn/sitename?method=show&id=1A2B3C4D5E6F\n"


def test_a_site_with_real_facts_has_no_placeholders(site) -> None:
    files = {"site.yaml": SITE_YAML + MARK, YEAR_FILE: "published: 2022-01-10 10:00\n" + YEAR_YAML}
    files["static/dzjg.svg"] = (ROOT / "content/static/dzjg.svg").read_text(encoding="utf-8")
    code, out, err = check(site(files), "--publish")
    assert code == 0 and out == "", out + err


def test_publishing_without_the_government_website_mark_is_a_warning(site) -> None:
    root = site({"site.yaml": SITE_YAML, YEAR_FILE: "published: 2022-01-10 10:00\n" + YEAR_YAML})
    code, out, _ = check(root)
    assert code == 0 and "dzjg" not in out  # only when publishing
    code, out, _ = check(root, "--publish")
    assert code == 0 and re.search(r"site\.yaml:1:1: warning: 没有设置党政机关网站标识（dzjg）", out), out
    assert "There is no government website mark (dzjg)" in out
    code, out, _ = check(root, "--publish", "--strict")
    assert code == 1


# --------------------------------------------------------------------------- theme and packaging


def test_templates_default_to_the_bundled_theme(tmp_path: Path) -> None:
    assert theme.default_templates(tmp_path) == theme.theme_dir()
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "README.md").write_text("notes", encoding="utf-8")
    assert theme.default_templates(tmp_path) == theme.theme_dir()
    (tmp_path / "templates" / "base.html").write_text("{# mine #}", encoding="utf-8")
    assert theme.default_templates(tmp_path) == tmp_path / "templates"
    assert (theme.theme_dir() / "base.html").is_file() and (theme.schemas_dir() / "site.schema.json").is_file()


def test_starter_facts_are_the_examples() -> None:
    starter = theme.starter_dir() / "content"
    assert (starter / "periods.yaml").read_bytes() == (ROOT / "content" / "periods.yaml").read_bytes()
    ours = yaml.safe_load((starter / "observances.yaml").read_text(encoding="utf-8"))
    example = yaml.safe_load((ROOT / "content" / "observances.yaml").read_text(encoding="utf-8"))
    assert ours["observances"] == example["observances"] and ours["kinds"] == example["kinds"]
    real_campaigns = [c for c in example["campaigns"] if "示例" not in c["name"]["zh"]]
    assert ours["campaigns"] == real_campaigns


def test_every_subpackage_is_packaged() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    source = ROOT / "src"
    found = {".".join(p.parent.relative_to(source).parts) for p in source.glob("sitegen/**/__init__.py")}
    assert found <= set(config["packages"]), "add the new subpackage to [tool.setuptools] packages"


# --------------------------------------------------------------------------- the wheel, installed elsewhere


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the wheel, the ``bin`` folder of a fresh venv with it installed), ECharts from this checkout's cache."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE", "src", "templates", "schemas"):
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy2
        copy(ROOT / name, source / name, **({"ignore": shutil.ignore_patterns("__pycache__")} if name == "src" else {}))
    run = {"capture_output": True, "text": True, "timeout": 900}
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(work), str(source)], **run)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    [wheel] = work.glob("pufa_sitegen-*.whl")
    venv.create(work / "venv", with_pip=True)
    bindir = work / "venv" / ("Scripts" if os.name == "nt" else "bin")
    proc = subprocess.run([str(bindir / "python"), "-m", "pip", "install", "--quiet", str(wheel)], **run)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    cache = work / "cache"  # the tests run the installed sitegen with SITEGEN_CACHE_DIR pointing here
    shutil.copytree(vendor.ensure_echarts().directory, cache / vendor.ensure_echarts().directory.name)
    return wheel, bindir


def test_wheel_carries_the_theme_schemas_and_starter(installed: tuple[Path, Path]) -> None:
    names = set(zipfile.ZipFile(installed[0]).namelist())
    for rel in ("templates/base.html", "templates/assets/site.css", "templates/partials/chart.html"):
        assert "sitegen/theme/" + rel.removeprefix("templates/") in names
    assert "sitegen/schemas/site.schema.json" in names
    assert "sitegen/starter/content/site.yaml.tmpl" in names and "sitegen/starter/dot-gitignore" in names


def test_installed_sitegen_starts_checks_and_builds_a_site(installed: tuple[Path, Path], tmp_path: Path) -> None:
    bindir = installed[1]
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env |= {"PYTHONIOENCODING": "utf-8", "PATH": f"{bindir}{os.pathsep}{env.get('PATH', '')}"}
    env[vendor.CACHE_ENV] = str(bindir.parent.parent / "cache")
    run = {"cwd": tmp_path, "capture_output": True, "text": True, "encoding": "utf-8", "timeout": 300, "env": env}
    proc = subprocess.run([str(bindir / "sitegen"), "init", "site", "--yes", *FLAGS], **run)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    run["cwd"] = site = tmp_path / "site"
    proc = subprocess.run([str(bindir / "sitegen"), "check"], **run)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "content/site.yaml:" in proc.stdout and ": warning: " in proc.stdout
    proc = subprocess.run([str(bindir / "sitegen"), "build"], **run)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    [css] = (site / "output" / "assets").glob("site.*.css")
    assert css.read_bytes() == (ROOT / "templates" / "assets" / "site.css").read_bytes()
    where = subprocess.run(
        [str(bindir / "python"), "-c", "import sitegen.site.theme as t; print(t.theme_dir())"], **run
    )
    assert Path(where.stdout.strip()).is_relative_to(bindir.parent.resolve()), "the theme is the installed package's"
    # Override one file, keep the rest: only base.html, with a marker; every page has it, the CSS is the theme's.
    base = (ROOT / "templates" / "base.html").read_text(encoding="utf-8")
    (site / "templates" / "base.html").write_text(base.replace("<head>", "<head><!-- office-marker -->", 1), "utf-8")
    proc = subprocess.run([str(bindir / "sitegen"), "build"], **run)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    pages = list((site / "output").rglob("*.html"))
    assert len(pages) > 5
    redirect = site / "output" / "index.html"  # the language redirect is not a page of the theme's base.html
    assert [p for p in pages if b"<!-- office-marker -->" not in p.read_bytes() and p != redirect] == []
    [css] = (site / "output" / "assets").glob("site.*.css")
    assert css.read_bytes() == (ROOT / "templates" / "assets" / "site.css").read_bytes()


def test_installed_pipeline_fails_to_publish_placeholders(installed: tuple[Path, Path], tmp_path: Path) -> None:
    """``ci/pipeline.sh`` with the pinned sitegen already in ``.venv/`` (pip finds it satisfied, offline)."""
    bindir = installed[1]
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    proc = subprocess.run([str(bindir / "sitegen"), "init", "site", "--yes", *FLAGS], cwd=tmp_path, env=env)
    assert proc.returncode == 0
    site = tmp_path / "site"
    (site / ".venv").symlink_to(bindir.parent, target_is_directory=True)
    env |= {"SITEGEN_PUBLISH": "1", "PIP_NO_INDEX": "1", "PYTHONIOENCODING": "utf-8"}
    env[vendor.CACHE_ENV] = str(bindir.parent.parent / "cache")
    run = {"cwd": site, "capture_output": True, "text": True, "encoding": "utf-8", "timeout": 600, "env": env}
    proc = subprocess.run(["sh", "ci/pipeline.sh"], **run)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    line = line_of(site / "content" / "site.yaml", r"^icp:")
    assert f"content/site.yaml:{line}:6: error: " in proc.stdout
    assert "== check --publish" in proc.stdout

    fill_in(site)
    proc = subprocess.run(["sh", "ci/pipeline.sh"], **run)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (site / "output" / "zh" / "index.html").is_file()
