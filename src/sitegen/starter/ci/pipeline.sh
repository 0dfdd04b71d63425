#!/bin/sh
# The steps of .github/workflows/ for any other CI (GitLab CI, Gitee Go, Jenkins, a
# self-hosted runner) or by hand, with nothing but a POSIX shell, git and Python 3.11+.
# .github/workflows/ 中的步骤，供其他 CI（GitLab CI、Gitee Go、Jenkins、自建执行器）或手工使用。
#
#   ci/pipeline.sh          install sitegen, check, build into output/
#   ci/pipeline.sh BASE     … then write what the change does to the site, compared with the
#                           git revision BASE (e.g. origin/main), into site-diff.md
#
# sitegen is installed into .venv/ at the version pinned in requirements.txt; its first build
# fetches the charting library with npm and keeps it: cache .venv/ and .sitegen-cache/.
# sitegen 按 requirements.txt 安装到 .venv/；首次构建用 npm 获取图表库并保存，请缓存这两个文件夹。
#
# Environment:
#   PYTHON                Python to create .venv/ with (default: python3)
#   SITEGEN_BASE_URL      build with this published address (production), e.g. https://www.example.gov.cn/pufa/
#   SITEGEN_CHECK_FORMAT  text (default), github, json or gitlab
#   SITEGEN_CHECK_REPORT  write check's output (stdout) into this file instead, e.g. the GitLab Code
#                         Quality report: SITEGEN_CHECK_FORMAT=gitlab SITEGEN_CHECK_REPORT=gl-code-quality-report.json
#   SITEGEN_DIFF_BASE     the revision to compare with, when not given as an argument
#   SITEGEN_PUBLISH       1: the check before publishing (sitegen check --publish): placeholders
#                         such as 待填写 are errors. SITEGEN_DEPLOY_TO implies it.
#   SITEGEN_DEPLOY_TO     after a clean check for publishing and build, copy output/ there with
#                         rsync (folder or host:folder)
#
# Exit status: that of the first failing step. A failed check or build does not stop the others:
# the diff is still written, so reviewers see what is wrong, and then the pipeline fails.
# Nothing is deployed after a failed step.
set -eu

cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
BASE=${1:-${SITEGEN_DIFF_BASE:-}}
SITEGEN=.venv/bin/sitegen
status=0

step() {
    printf '\n== %s\n' "$*"
}

# Remember the first failing step's exit status; carry on with the next step.
failed() {
    printf '== (exit status %s)\n' "$1"
    [ "$status" -ne 0 ] || status=$1
}

step "install sitegen (requirements.txt) into .venv/"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
"$SITEGEN" --help >/dev/null

check_args="--format ${SITEGEN_CHECK_FORMAT:-text}"
if [ -n "${SITEGEN_DEPLOY_TO:-}" ] || [ "${SITEGEN_PUBLISH:-}" = 1 ]; then
    check_args="--publish $check_args"
fi

step "check $check_args"
# shellcheck disable=SC2086  # $check_args is split into words on purpose
if [ -n "${SITEGEN_CHECK_REPORT:-}" ]; then
    "$SITEGEN" check $check_args >"$SITEGEN_CHECK_REPORT" || failed $?
else
    "$SITEGEN" check $check_args || failed $?
fi

step "build"
if [ -n "${SITEGEN_BASE_URL:-}" ]; then
    "$SITEGEN" build --base-url "$SITEGEN_BASE_URL" || failed $?
else
    "$SITEGEN" build || failed $?
fi

if [ -n "$BASE" ]; then
    step "diff against $BASE (site-diff.md)"
    rm -f site-diff.md
    "$SITEGEN" diff "$BASE" --output site-diff.md || failed $?
    if [ -f site-diff.md ]; then
        cat site-diff.md
    fi
fi

if [ "$status" -ne 0 ]; then
    step "failed (exit status $status)"
    exit "$status"
fi

if [ -n "${SITEGEN_DEPLOY_TO:-}" ]; then
    step "deploy to $SITEGEN_DEPLOY_TO"
    rsync -a --delete --exclude=/.sitegen-output output/ "$SITEGEN_DEPLOY_TO"
fi
