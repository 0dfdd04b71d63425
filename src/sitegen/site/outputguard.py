"""Which folders sitegen may replace, and faults while writing told in plain words.

``build`` replaces its output folder as a whole, so a wrong ``--output`` could delete the
content, the repository or a home folder. :func:`check_output` refuses such a folder before
anything is touched (:class:`UnsafeOutput`, exit 2). Every output sitegen writes holds the
marker file :data:`MARKER`: a non-empty folder without it is someone else's and is refused,
except an output of an earlier sitegen (only the names a build writes, :data:`SITE_NAMES`).

:func:`fault` turns an ``OSError`` from writing (full disk, read-only file system, permission
denied, a folder in use or a mount point) into a :class:`WriteFault` saying what to do.
"""

from __future__ import annotations

import errno
import json
import os
from collections.abc import Iterable
from pathlib import Path

from ..errors import EXIT_USAGE, ContentErrors, display_path, make_error
from . import theme

MARKER = ".sitegen-output"
"""The file that marks a folder as a sitegen output (hidden; the same bytes in every build)."""
MARKER_BYTES = (
    "sitegen 生成的网站文件夹：每次构建会整体替换。请勿在此存放其他文件。\n"
    "A site folder written by sitegen: every build replaces it as a whole. Keep nothing else here.\n"
).encode()
SITE_NAMES = frozenset({"index.html", "zh", "en", "assets", "sitemap.xml", "404.html", "robots.txt"})
"""The top-level names of a build: a folder holding only these is an output of an earlier sitegen."""
HARMLESS = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})
"""Files a file manager leaves in any folder it shows."""
PROTECTED = ("content", "templates", ".git", "pyproject.toml", "build.py", "site.yaml")
"""Names that show a folder is a project or a content folder, never an output."""
PACKAGE = theme.PACKAGE


class UnsafeOutput(ContentErrors):
    """The folder (or file) given for the output must not be written: a usage error, exit 2."""

    exit_code = EXIT_USAGE


class WriteFault(ContentErrors):
    """Writing failed for a reason outside the content (disk full, read-only, ...): exit 1."""


def check_output(output: Path, *, content: Path | None = None, templates: Path | None = None) -> Path:
    """The resolved ``output`` if sitegen may replace it as a whole; else raise :class:`UnsafeOutput`."""
    where = resolve(output)
    shown = _show(where)
    if where.exists() and not where.is_dir():
        _refuse(where, f"{shown} 是一个已有的文件，不是文件夹", f"{shown} is an existing file, not a folder")
    _refuse_special(shown, where, content, templates)
    if where.is_dir():
        _refuse_project(shown, where)
        if not is_output(where):
            _refuse(
                where,
                f"{shown} 不是空文件夹，也不是 sitegen 生成的网站（没有 {MARKER}）。"
                "构建会整体替换输出文件夹：请指定一个新的或空的文件夹，例如 --output output",
                f"{shown} is not empty and was not written by sitegen (no {MARKER}). A build replaces "
                "its output folder as a whole: give a new or empty folder, e.g. --output output",
            )
    return where


def check_leftover(folder: Path) -> None:
    """Refuse to delete ``folder`` (a staging folder's name) unless it is sitegen's own leftover."""
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()) or not is_output(folder):
        _refuse(
            folder,
            f"{folder} 挡住了 sitegen 的临时文件夹，但不是 sitegen 留下的：请移走或改名后再构建",
            f"{folder} is in the way of sitegen's staging folder but was not left by sitegen: "
            "move or rename it, then build again",
        )


def check_schema_folder(folder: Path, names: Iterable[str], *, content: Path, templates: Path | None = None) -> Path:
    """The resolved ``folder`` if the schema files ``names`` may be written into it."""
    where = resolve(folder)
    if where.exists() and not where.is_dir():
        _refuse(folder, f"{folder} 是一个已有的文件，不是文件夹", f"{folder} is an existing file, not a folder")
    _refuse_inside(_show(where), where, content, templates)
    for name in names:
        target = where / name
        if target.is_symlink() or (target.exists() and not _is_schema(target)):
            _refuse(
                target,
                f"{target} 已存在且不是 JSON Schema 文件：不会覆盖它。请换一个文件夹（--output）",
                f"{target} exists and is not a JSON Schema: it is not overwritten. Choose another folder (--output)",
            )
    return where


def check_report_file(path: Path, *, content: Path, templates: Path | None = None) -> Path:
    """The resolved ``path`` if ``diff`` may write its report there."""
    where = resolve(path)
    if where.is_dir():
        zh, en = f"{path} 是一个文件夹：请给出报告的文件名，例如 site-diff.md", f"{path} is a folder: give a file name"
        _refuse(path, zh, en + " for the report, e.g. site-diff.md")
    _refuse_inside(_show(where), where, content, templates)
    if where.name in PROTECTED or ".git" in where.parts or _within(where, PACKAGE):
        _refuse(path, f"{path} 是项目自身的文件，不能用作报告", f"{path} is a file of the project, not a report")
    return where


def is_output(folder: Path) -> bool:
    """Whether ``folder`` is empty, marked as sitegen's, or holds only what an earlier sitegen built."""
    try:
        names = {entry.name for entry in os.scandir(folder)} - HARMLESS
    except FileNotFoundError:
        return True
    if not names or (folder / MARKER).is_file():
        return True
    return names <= SITE_NAMES and bool(names & {"index.html", "zh", "en"})


def resolve(path: Path) -> Path:
    """``path`` absolute, symlinks resolved before ``..`` (also for parts that do not exist yet)."""
    return Path(os.path.realpath(path))


def fault(exc: OSError, output: Path, *, size: int = 0, kept: bool = True) -> WriteFault:
    """A plain message (what, where, what to do) for an error of the operating system while writing.

    ``kept``: the message adds that the previous output is unchanged.
    """
    where = display_path(exc.filename or output)
    shown = display_path(output)
    code = exc.errno
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        mb = max(1, round(size / 1e6))
        zh = f"磁盘已满，无法写入 {where}。请腾出空间（网站约需 {mb} MB，构建时需两倍）后再构建"
        en = f"The disk is full: cannot write {where}. Free some space (the site needs about {mb} MB, "
        en += "twice that while building) and build again"
    elif code == errno.EROFS:
        zh = f"{where} 所在的磁盘是只读的。请换一个可写的输出文件夹（--output），或把该磁盘改为可写"
        en = f"{where} is on a read-only file system. Choose a writable output folder (--output) "
        en += "or make that disk writable"
    elif code in (errno.EACCES, errno.EPERM):
        zh = f"没有权限写入 {where}。请关闭正在使用它的程序（浏览器、资源管理器、杀毒软件），"
        zh += "检查文件夹的权限，或换一个输出文件夹（--output）"
        en = f"Permission denied writing {where}. Close programs using it (a browser, Explorer, an antivirus "
        en += "scan), check the folder's permissions, or choose another output folder (--output)"
    elif code in (errno.EBUSY, errno.EXDEV):
        zh = f"{shown} 正被占用或是一个挂载点，无法整体替换。请关闭正在使用它的程序，"
        zh += f"或输出到它里面的子文件夹（例如 --output {shown}/site）"
        en = f"{shown} is in use or a mount point and cannot be replaced as a whole. Close programs using it, "
        en += f"or build into a folder inside it (e.g. --output {shown}/site)"
    else:
        zh = f"无法写入 {where}：{exc.strerror or exc}"
        en = f"Cannot write {where}: {exc.strerror or exc}"
    zh += "。上一次的输出保持不变。" if kept else "。"
    en += ". The previous output is unchanged." if kept else "."
    return WriteFault([make_error(output, 0, 0, zh, en)])


# --------------------------------------------------------------------------- the rules


def _refuse_special(shown: str, where: Path, content: Path | None, templates: Path | None) -> None:
    """Refuse the root, the home and current folders, sitegen itself, what holds them, and content folders."""
    if where == Path(where.anchor):
        _refuse(shown, f"不能替换根目录 {where}", f"refusing to replace the root folder {where}")
    for name_zh, name_en, folder in (
        ("主文件夹", "the home folder", _home()),
        ("当前文件夹", "the current folder", resolve(Path.cwd())),
        ("sitegen 程序", "sitegen's own code", PACKAGE),
    ):
        if folder is not None and _within(folder, where):
            is_zh, is_en = ("是", "is") if folder == where else ("包含", "holds")
            zh, en = (
                f"{shown} {is_zh}{name_zh}（{folder}），不能替换",
                f"{shown} {is_en} {name_en} ({folder}): refusing to replace it",
            )
            _refuse(shown, zh, en)
    if _within(where, PACKAGE):
        _refuse(shown, f"{shown} 在 sitegen 程序文件夹中", f"{shown} is inside sitegen's own code")
    _refuse_inside(shown, where, content, templates)
    for parent in where.parents:
        if (parent / "site.yaml").is_file():
            zh, en = (
                f"{shown} 在内容文件夹 {parent} 中（有 site.yaml）",
                f"{shown} is inside the content folder {parent}",
            )
            _refuse(shown, zh, en + " (it has site.yaml)")


def _refuse_inside(shown: str, where: Path, content: Path | None, templates: Path | None) -> None:
    """Refuse a path equal to, inside, or holding the content or templates folder."""
    for name_zh, name_en, folder in (("内容", "content", content), ("模板", "templates", templates)):
        if folder is None:
            continue
        folder = resolve(folder)
        if _within(where, folder) or _within(folder, where):
            _refuse(
                shown,
                f"{shown} 与{name_zh}文件夹 {folder} 重叠（相同、在其中或包含它）：输出必须是另一个文件夹",
                f"{shown} overlaps the {name_en} folder {folder} (the same, inside it or holding it): "
                "the output must be a folder of its own",
            )


def _refuse_project(shown: str, where: Path) -> None:
    found = [name for name in PROTECTED if (where / name).exists()]
    if found:
        names = ", ".join(found)
        zh, en = f"{shown} 是项目或内容文件夹（有 {names}），不能用作输出", f"{shown} is a project or content folder"
        _refuse(shown, zh, en + f" (it has {names}), not an output")


def _refuse(path: Path | str, zh: str, en: str) -> None:
    raise UnsafeOutput([make_error(path, 0, 0, zh + "。未做任何改动。", en + ". Nothing was changed.")])


def _show(where: Path) -> str:
    shown = display_path(where)
    return where.as_posix() if shown == "." else shown


def _within(inner: Path, outer: Path) -> bool:
    return inner == outer or outer in inner.parents


def _home() -> Path | None:
    try:
        return resolve(Path.home())
    except (RuntimeError, KeyError):
        return None


def _is_schema(path: Path) -> bool:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and "$schema" in data
