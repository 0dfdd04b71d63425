"""CI files: valid against the published schemas (check-jsonschema's bundled copies, offline),
doing the steps the project promises, calling only real sitegen commands; and ``ci/pipeline.sh``
run for real on a little git repository."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, YEAR_YAML, make_site
from sitegen.cliargs import parser as _parser
from sitegen.site import vendor

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
GITLAB = ROOT / ".gitlab-ci.yml"
PIPELINE = ROOT / "ci" / "pipeline.sh"


def validate(schema: str, *files: Path) -> subprocess.CompletedProcess[str]:
    """check-jsonschema with one of its bundled (offline) schemas."""
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:  # YAML 1.1 reads the key `on` as a boolean
        data["on"] = data.pop(True)
    return data


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def uses(workflow: dict, action: str) -> dict:
    """The step that uses ``action`` (any version)."""
    [step] = [s for s in steps(workflow) if s.get("uses", "").split("@")[0] == action]
    return step


def runs(workflow: dict) -> str:
    return "\n".join(step.get("run", "") for step in steps(workflow))


# --------------------------------------------------------------------------- schemas


def test_there_are_workflows():
    assert {p.name for p in WORKFLOWS} == {"pr.yml", "deploy.yml"}


def test_github_workflows_are_valid():
    done = validate("vendor.github-workflows", *WORKFLOWS)
    assert done.returncode == 0, done.stdout + done.stderr


def test_gitlab_ci_is_valid():
    done = validate("vendor.gitlab-ci", GITLAB)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_validator_does_reject_a_broken_workflow(tmp_path):
    text = (ROOT / ".github" / "workflows" / "pr.yml").read_text(encoding="utf-8")
    broken = tmp_path / "broken.yml"
    broken.write_text(text.replace("uses: actions/checkout@", "usez: actions/checkout@"), encoding="utf-8")
    done = validate("vendor.github-workflows", broken)
    assert done.returncode == 1 and "steps[0]" in done.stdout


# --------------------------------------------------------------------------- what the workflows do


def test_pull_request_workflow():
    pr = load(ROOT / ".github" / "workflows" / "pr.yml")
    assert "pull_request" in pr["on"]
    assert uses(pr, "actions/checkout")["with"]["fetch-depth"] == 0
    assert uses(pr, "actions/setup-python")["with"]["python-version"] == "3.11"
    assert uses(pr, "actions/cache")["with"]["path"] == ".sitegen-cache"
    commands = runs(pr)
    assert "python build.py check --format github" in commands
    assert "python build.py build" in commands
    diff = next(s for s in steps(pr) if "build.py diff" in s.get("run", ""))
    assert diff["run"] == 'python build.py diff "origin/$BASE_REF" >> "$GITHUB_STEP_SUMMARY"'
    assert diff["env"]["BASE_REF"] == "${{ github.base_ref }}"
    artifact = uses(pr, "actions/upload-artifact")["with"]
    assert artifact["path"] == "output/"
    assert pr["permissions"] == {} and pr["jobs"]["site"]["permissions"] == {"contents": "read"}
    assert pr["concurrency"]["cancel-in-progress"] is True  # a new push cancels the run for the old one
    assert "github.event.pull_request.number" in pr["concurrency"]["group"]


def test_deploy_workflow():
    deploy = load(ROOT / ".github" / "workflows" / "deploy.yml")
    assert deploy["on"]["push"]["branches"] == ["main"]
    assert uses(deploy, "actions/upload-pages-artifact")["with"]["path"] == "output/"
    uses(deploy, "actions/configure-pages")
    uses(deploy, "actions/deploy-pages")
    assert deploy["permissions"] == {}
    assert deploy["jobs"]["build"]["permissions"] == {"contents": "read", "pages": "read"}
    assert deploy["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["concurrency"] == {"group": "pages", "cancel-in-progress": False}  # never half a deployment
    assert deploy["jobs"]["deploy"]["environment"]["name"] == "github-pages"
    build = next(s for s in steps(deploy) if "build.py build" in s.get("run", ""))
    assert build["run"] == 'python build.py build --base-url "$BASE_URL"'
    assert "steps.pages.outputs.base_url" in build["env"]["BASE_URL"]


def test_gitlab_uses_the_portable_script():
    gitlab = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    assert gitlab["variables"]["GIT_DEPTH"] == "0"
    report = gitlab["variables"]["SITEGEN_CHECK_REPORT"]
    assert gitlab["variables"]["SITEGEN_CHECK_FORMAT"] == "gitlab"
    _parser().parse_args(["check", "--format", gitlab["variables"]["SITEGEN_CHECK_FORMAT"]])
    for job in ("merge-request", "pages"):
        assert gitlab[job]["artifacts"]["reports"] == {"codequality": report}
    assert gitlab["merge-request"]["artifacts"]["when"] == "always"  # the report of a failed check too
    assert 'ci/pipeline.sh "$CI_MERGE_REQUEST_DIFF_BASE_SHA"' in gitlab["merge-request"]["script"]
    assert any("ci/pipeline.sh" in line for line in gitlab["pages"]["script"])
    assert "public" in gitlab["pages"]["artifacts"]["paths"]


# --------------------------------------------------------------------------- supply chain and tokens

PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")
"""``owner/repo@<full commit SHA>``: a tag can be moved to other code, a commit cannot."""
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(\S+)(.*)$")


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_by_commit_with_its_tag_in_a_comment(path):
    found = [USES_LINE.match(line) for line in path.read_text(encoding="utf-8").splitlines()]
    lines = [m for m in found if m]
    assert len(lines) == len([s for s in steps(load(path)) if "uses" in s])  # every uses: line seen
    unpinned = [m.group(0).strip() for m in lines if not PINNED.match(m.group(1))]
    assert not unpinned, f"{path.name}: not pinned by a 40-hex commit SHA: {unpinned}"
    untagged = [m.group(0).strip() for m in lines if not re.fullmatch(r"\s*# v\d+(\.\d+)*", m.group(2))]
    assert not untagged, f"{path.name}: no '# vX.Y.Z' comment naming the tag: {untagged}"


STARTER_WORKFLOWS = sorted((ROOT / "src/sitegen/starter/dot-github/workflows").glob("*.yml"))


@pytest.mark.parametrize("path", WORKFLOWS + STARTER_WORKFLOWS, ids=lambda p: f"{p.parent.parent.parent.name}/{p.name}")
def test_the_build_cache_is_saved_after_every_run(path):
    """actions/cache saves only under a key it did not find: a fixed key keeps the first run's cache forever.
    A key per run (restored from the newest with the same prefix) keeps it current."""
    caches = [s for s in steps(load(path)) if s.get("uses", "").startswith("actions/cache@")]
    assert caches, path
    for step in caches:
        key, restore = step["with"]["key"], step["with"].get("restore-keys", "")
        assert key.endswith("${{ github.run_id }}") and restore and key.startswith(restore.strip()), step


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_checkout_keeps_no_credentials(path):
    checkouts = [s for s in steps(load(path)) if s.get("uses", "").startswith("actions/checkout@")]
    assert checkouts
    for step in checkouts:
        assert step.get("with", {}).get("persist-credentials") is False


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_least_permissions_and_concurrency(path):
    workflow = load(path)
    assert workflow["permissions"] in ({}, {"contents": "read"})
    assert "group" in workflow["concurrency"] and "cancel-in-progress" in workflow["concurrency"]
    for name, job in workflow["jobs"].items():
        assert "permissions" in job, f"{path.name}: job {name} does not say which permissions it needs"
        writes = {scope for scope, level in job["permissions"].items() if level == "write"}
        assert writes <= {"pages", "id-token"}, f"{path.name}: job {name} may write {writes}"
        assert not writes or name == "deploy", f"{path.name}: only the deploy job publishes"


def sitegen_commands() -> list:
    """Every ``build.py …`` command line in the CI files, with shell variables as placeholders."""
    found = []
    for path in [*WORKFLOWS, GITLAB, PIPELINE]:
        for line in path.read_text(encoding="utf-8").splitlines():
            if "build.py " not in line or line.lstrip().startswith("#"):
                continue
            command = line.split("build.py ", 1)[1].split(">")[0].split("||")[0].split(";")[0]
            command = re.sub(r"\$\{\w+:-([^}]*)\}", r"\1", command)  # ${VAR:-default} → default
            words = shlex.split(command)
            # A variable stands for a value the workflow provides: the URL one is a real address there.
            words = [
                "https://www.example.gov.cn/pufa/" if w.startswith("$") and prev in ("--base-url", "-b") else w
                for prev, w in zip(["", *words], words, strict=False)
            ]
            found.append(pytest.param(path.name, words, id=f"{path.name}: {' '.join(words)}"))
    return found


@pytest.mark.parametrize(("where", "words"), sitegen_commands())
def test_ci_calls_only_real_commands(where, words):
    try:
        _parser().parse_args(words)
    except SystemExit as exc:  # argparse: a usage error exits 2, --help exits 0
        assert exc.code == 0, f"{where}: build.py {' '.join(words)}"


# --------------------------------------------------------------------------- ci/pipeline.sh, for real


def test_pipeline_script_is_valid_sh():
    assert os.access(PIPELINE, os.X_OK)
    done = subprocess.run(["sh", "-n", str(PIPELINE)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A git repository with sitegen itself, a small site and the ECharts cache, as a CI clone."""
    root = tmp_path / "project"
    for name in ("src", "templates", "ci"):
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("build.py", "pyproject.toml"):
        shutil.copy2(ROOT / name, root / name)
    make_site(root)
    cached = vendor.ensure_echarts().directory
    shutil.copytree(cached, root / ".sitegen-cache" / "vendor" / cached.name)
    (root / ".gitignore").write_text("/output/\n/.sitegen-cache/\n/site-diff.md\n", encoding="utf-8")
    git = ["git", "-c", "user.name=CI", "-c", "user.email=ci@example.org", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q", "-b", "main"], cwd=root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "base"], cwd=root, check=True)
    return root


def pipeline(root: Path, *args: str, **variables: str) -> subprocess.CompletedProcess[str]:
    """Run ``ci/pipeline.sh args`` in ``root`` with this Python and the environment ``variables``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SITEGEN_")}
    env.update(PYTHON=sys.executable, PYTHONIOENCODING="utf-8", **variables)
    return subprocess.run(
        ["sh", "ci/pipeline.sh", *args], cwd=root, capture_output=True, text=True, env=env, timeout=300
    )


def test_pipeline_checks_builds_and_reports_the_change(project):
    year = project / "content" / "units" / "demo" / "2021.yaml"
    year.write_text(YEAR_YAML.replace("participants: 120", "participants: 150"), encoding="utf-8")
    done = pipeline(project, "HEAD")
    assert done.returncode == 0, done.stdout + done.stderr
    assert (project / "output" / "zh" / "units" / "demo" / "2021" / "index.html").is_file()
    report = (project / "site-diff.md").read_text(encoding="utf-8")
    assert "| 演示单位 (demo) | 2021 | 现场参与 People present | 120 | 150 | +25% |" in report
    assert "== check" in done.stdout and "== diff against HEAD" in done.stdout


def test_pipeline_fails_after_building_when_the_check_fails(project):
    news = project / "content" / "news" / "2021-12-04-x.zh.md"
    news.parent.mkdir()
    news.write_text(
        "---\ntitle: 测试\ndate: 2021-12-04 10:00\nsource: 测试\n---\n\n[坏链接](../no-such-page/)\n", encoding="utf-8"
    )
    done = pipeline(project, "HEAD")
    assert done.returncode == 1
    assert "2021-12-04-x.zh.md:7:" in done.stdout
    assert (project / "output" / "zh" / "index.html").is_file()  # built anyway, for the reviewer
    assert (project / "site-diff.md").is_file()
