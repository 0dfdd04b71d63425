"""``diff BASE [HEAD]``: two git revisions of the site, taken out, loaded and built side by side.

Each revision's content (and templates) is taken out of git with ``git archive`` into a
temporary folder, so the repository, its index and the working tree are never touched; without
HEAD the working tree itself is compared, uncommitted edits included. Each is loaded once and
built with this sitegen in memory (nothing written), then compared (:mod:`sitegen.review.sitediff`).

A revision is built with its own templates, so a template change shows in the pages it
changes. When a revision's templates do not work with this sitegen, it is built with the
working tree's templates instead, and the report says so.

A revision that cannot be loaded or built keeps its problems, located in the repository as
``check`` prints them (``content/units/x/2024.yaml:3:5``), and is compared with nothing: the
report shows the problems, never the other side's figures as all added or all removed.
"""

from __future__ import annotations

import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from ..content import drafts
from ..content.loader import is_ignored, load_content
from ..content.model import Content
from ..errors import ContentError, ContentErrors, UsageError
from .memorybuild import build_files
from .sitecheck import read_tree
from .sitediff import Side, SiteDiff, compare

WORKING_TREE = "工作区 working tree"


@dataclass(frozen=True)
class Revision:
    """One revision's files on disk."""

    label: str
    content: Path
    templates: Path
    content_name: str
    """The content folder as the repository names it (``content``)."""
    repo: Path | None = None
    """The repository's top folder."""
    taken_out: Path | None = None
    """Where git's files were written (``None``: the working tree itself)."""


def git(repo: Path, *args: str) -> str:
    """Run git in ``repo``; its output, or :class:`UsageError` with git's own message."""
    try:
        done = subprocess.run(
            ["git", *args], cwd=repo, capture_output=True, text=True, encoding="utf-8", errors="replace"
        )
    except FileNotFoundError:
        raise UsageError("找不到 git 命令，请先安装 git。", "git is not installed (or not on the PATH).") from None
    if done.returncode != 0:
        message = done.stderr.strip() or f"git {' '.join(args)} failed"
        raise UsageError(f"git 出错：{message}", f"git failed: {message}")
    return done.stdout


def repo_root(cwd: Path) -> Path:
    """The top folder of the git repository that ``cwd`` is in."""
    try:
        return Path(git(cwd, "rev-parse", "--show-toplevel").strip()).resolve()
    except UsageError:
        raise UsageError(
            f"“{cwd}”不在 git 仓库中：diff 比较的是 git 中的版本。",
            f'"{cwd}" is not in a git repository: diff compares revisions in git.',
        ) from None


def resolve_revision(repo: Path, revision: str) -> str:
    """The commit id of ``revision`` (a branch, tag, ``origin/main``, ``HEAD~1`` …)."""
    try:
        return git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}").strip()
    except UsageError:
        raise UsageError(
            f"git 中找不到版本“{revision}”。请检查分支名或提交号；在 CI 上要取回完整历史（fetch-depth: 0）。",
            f'git does not know the revision "{revision}". Check the branch or commit name; on CI, fetch the '
            "whole history (fetch-depth: 0).",
        ) from None


def export(repo: Path, commit: str, paths: list[str], dest: Path) -> None:
    """Write the files under ``paths`` (repository-relative) at ``commit`` into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    present = [p for p in paths if git(repo, "ls-tree", "--name-only", commit, "--", p).strip()]
    if not present:
        return
    command = ["git", "archive", "--format=tar", commit, "--", *present]
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(command, cwd=repo, stdout=subprocess.PIPE, stderr=errors)
        assert proc.stdout is not None
        with tarfile.open(fileobj=proc.stdout, mode="r|") as tar:
            _extract(tar, dest)
        if proc.wait() != 0:
            errors.seek(0)
            message = errors.read().decode("utf-8", errors="replace").strip()
            raise UsageError(f"git archive 出错：{message}", f"git archive failed: {message}")


def _extract(tar: tarfile.TarFile, dest: Path) -> None:
    """Regular files and folders only, never outside ``dest`` (links are not content)."""
    root = dest.resolve()
    for member in tar:
        target = (root / member.name).resolve()
        if not target.is_relative_to(root):
            continue
        if member.isdir():
            target.mkdir(parents=True, exist_ok=True)
        elif member.isreg():
            source = tar.extractfile(member)
            if source is not None:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(source.read())


def _in_repo(repo: Path, path: Path) -> str | None:
    try:
        return path.resolve().relative_to(repo).as_posix()
    except ValueError:
        return None


def take_out(repo: Path, revision: str | None, content: Path, templates: Path, dest: Path) -> Revision:
    """The files of ``revision`` (``None``: the working tree) under ``dest``."""
    content_name = _in_repo(repo, content)
    if content_name is None:
        raise UsageError(
            f"内容文件夹“{content}”不在 git 仓库 {repo} 中。",
            f'The content folder "{content}" is not inside the git repository {repo}.',
        )
    if revision is None:
        return Revision(WORKING_TREE, content.resolve(), templates.resolve(), content_name, repo)
    commit = resolve_revision(repo, revision)
    templates_name = _in_repo(repo, templates)
    export(repo, commit, [n for n in (content_name, templates_name) if n is not None], dest)
    own_templates = dest / templates_name if templates_name is not None else None
    use_templates = own_templates if own_templates is not None and own_templates.is_dir() else templates.resolve()
    return Revision(f"{revision} ({commit[:10]})", dest / content_name, use_templates, content_name, repo, dest)


def content_files(folder: Path) -> dict[str, bytes]:
    """The files under ``folder`` that the loader reads (no editor backups, no hidden files)."""
    return {
        path: data
        for path, data in read_tree(folder).items()
        if not any(is_ignored(Path(part)) for part in path.split("/"))
    }


def load_side(revision: Revision, fallback_templates: Path, cwd: Path | None = None) -> Side:
    """Load and build one revision; its problems are recorded on the side (paths as seen from ``cwd``), not raised."""
    if not revision.content.is_dir():
        problem = f"这个版本中还没有 {revision.content_name}/ / There is no {revision.content_name}/ in this revision."
        return Side(revision.label, files={}, problem=problem)
    sources = content_files(revision.content)
    cwd = cwd or Path.cwd()
    try:
        content, _ = drafts.select(load_content(revision.content), date.today())  # the site as it would publish
    except ContentErrors as exc:
        count = sum(e.severity == "error" for e in exc.errors)
        problem = (
            f"内容有 {count} 个错误，无法构建；这个版本的数据、活动、培训、新闻和页面都不作比较 / "
            f"The content has {count} error(s) and cannot be built: its figures, events, trainings, news "
            "and pages are not compared."
        )
        errors = relocate(exc.errors, revision, cwd)
        return Side(revision.label, sources=sources, problem=problem, failed="content", errors=errors)
    try:
        files, note = _build(revision, content, fallback_templates)
    except ContentErrors as exc:
        problem = (
            "网站无法构建（模板或内容有错误），页面不作比较 / "
            "The site cannot be built (errors in the templates or the content): its pages are not compared."
        )
        errors = relocate(exc.errors, revision, cwd)
        return Side(revision.label, content, sources=sources, problem=problem, failed="site", errors=errors)
    return Side(revision.label, content, files, sources, note=note)


FALLBACK_NOTE = (
    "这个版本的模板不适用于当前的 sitegen，改用工作区的模板构建 / "
    "its templates do not work with this sitegen: built with the working tree's templates."
)


def _build(revision: Revision, content: Content, fallback_templates: Path) -> tuple[dict[str, bytes], str]:
    """The built files (in memory) and a note; with the working tree's templates when the revision's own fail.

    Raises :class:`ContentErrors` when the working tree's templates do not build it either.
    """
    try:
        return build_files(content, revision.templates), ""
    except ContentErrors:
        if revision.templates == fallback_templates.resolve():
            raise
    return build_files(content, fallback_templates), FALLBACK_NOTE


def relocate(errors: list[ContentError], revision: Revision, cwd: Path) -> tuple[ContentError, ...]:
    """``errors`` sorted, their paths in the taken-out copy turned into the repository's, relative to ``cwd``."""
    prefixes: list[tuple[str, str]] = []
    if revision.taken_out is not None and revision.repo is not None:
        shown = _relative(revision.repo, cwd)
        shown = "" if shown == "." else shown + "/"
        prefixes = [(p.as_posix() + "/", shown) for p in {revision.taken_out, revision.taken_out.resolve()}]

    def text(message: str) -> str:
        for old, new in prefixes:
            message = message.replace(old, new)
        return message

    return tuple(
        replace(e, path=_repository_path(e.path, revision, cwd), zh=text(e.zh), en=text(e.en))
        for e in sorted(errors, key=ContentError.sort_key)
    )


def _repository_path(path: str, revision: Revision, cwd: Path) -> str:
    """Where ``path`` (as :func:`~sitegen.errors.display_path` showed it) is in the repository, seen from ``cwd``."""
    where = Path(path)
    where = (where if where.is_absolute() else Path.cwd() / where).resolve()
    if revision.taken_out is not None and revision.repo is not None:
        root = revision.taken_out.resolve()
        if where.is_relative_to(root):
            where = revision.repo / where.relative_to(root)
    return _relative(where, cwd)


def _relative(path: Path, cwd: Path) -> str:
    """``path`` relative to ``cwd`` when inside it, else as it is (``/`` separators)."""
    try:
        return path.resolve().relative_to(cwd.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def diff(base: str, head: str | None, *, content: Path, templates: Path, cwd: Path | None = None) -> SiteDiff:
    """Compare revision ``base`` with ``head`` (``None``: the working tree).

    Raises :class:`UsageError` outside a git repository or for an unknown revision.
    """
    cwd = (cwd or Path.cwd()).resolve()
    repo = repo_root(cwd)
    content, templates = cwd / content, cwd / templates
    with tempfile.TemporaryDirectory(prefix="sitegen-diff-") as tmp:
        folder = Path(tmp)
        old = take_out(repo, base, content, templates, folder / "base")
        new = take_out(repo, head, content, templates, folder / "head")
        return compare(load_side(old, templates, cwd), load_side(new, templates, cwd))
