"""``init``: start a new office's site in an empty folder, apart from the tool.

The new site holds only what is the office's own: ``content/`` (site.yaml, the plan periods and
observance days, one unit with the current year, one news item), an empty ``templates/`` override
folder, the CI files that install the pinned sitegen from ``requirements.txt``, editor settings
and the JSON Schemas. The files come from the package's ``starter/`` folder: names starting with
``dot-`` become dotfiles, ``__unit__``/``__year__``/``__news__`` in a path are replaced, and a
``.tmpl`` file has its ``$name`` fields filled in (:class:`string.Template`). Values the office must
still supply are written as ``待填写`` (see :mod:`sitegen.content.placeholders`).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from string import Template

import yaml
from pydantic_core import PydanticCustomError

from .. import __version__
from ..site import theme
from . import scaffold, schema
from .placeholders import MARKER
from .values import check_slug, messages

EXIT_OK, EXIT_USAGE = 0, 2


@dataclass(frozen=True)
class Answers:
    """What ``init`` asks for; unknown values stay ``待填写``."""

    name: str = MARKER
    """Site name (网站名称)."""
    organizer: str = MARKER
    """主办单位."""
    unit: str = "office"
    """Id of the first unit (its folder name)."""
    unit_name: str = MARKER
    """Full name of the first unit."""
    year: int = 0
    """The year file to start (0: this year)."""


QUESTIONS: tuple[tuple[str, str, str], ...] = (
    ("name", "网站名称", "Site name"),
    ("unit_name", "单位全称", "Full name of your office"),
    ("organizer", "主办单位", "Organizer (主办单位)"),
    ("unit", "单位编号（小写字母、数字和 -，用作网址）", "Unit id (lowercase letters, digits, -; used in addresses)"),
    ("year", "年度", "Year"),
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``sitegen init``."""
    p.add_argument("dir", type=Path, help="the new site's folder (must be empty or not exist)")
    p.add_argument("--name", help="site name, e.g. 某某区普法网 (default: 待填写)")
    p.add_argument("--organizer", help="主办单位 (default: the unit's name)")
    p.add_argument("--unit", help="id of the first unit, e.g. district-office (default: office)")
    p.add_argument("--unit-name", help="full name of the first unit (default: 待填写)")
    p.add_argument("--year", type=int, help="the first year file (default: this year)")
    p.add_argument("--yes", "-y", action="store_true", help="ask nothing: use the options and defaults")


def run(args: argparse.Namespace) -> int:
    """``sitegen init DIR``; returns the exit code."""
    target: Path = args.dir
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        print(
            f"sitegen init: {target.as_posix()} 不是空文件夹，未写入任何文件。\n"
            f"    {target.as_posix()} is not an empty folder: nothing was written.",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        answers = _answers(args, interactive=sys.stdin.isatty() and not args.yes)
    except ValueError as exc:
        print(f"sitegen init: {exc}", file=sys.stderr)
        return EXIT_USAGE
    written = write_site(target, answers)
    _print_next_steps(target, written)
    return EXIT_OK


def _answers(args: argparse.Namespace, *, interactive: bool) -> Answers:
    given = {key: getattr(args, key) for key, _, _ in QUESTIONS if getattr(args, key) is not None}
    if "organizer" not in given and "unit_name" in given:
        given["organizer"] = given["unit_name"]
    values = {**asdict(Answers(year=datetime.now().year)), **given}
    for key, zh, en in QUESTIONS if interactive else ():
        if key not in given:
            values[key] = _ask(zh, en, values[key])
            if key == "unit_name" and "organizer" not in given:
                values["organizer"] = values[key]
    values["year"] = _year(values["year"])
    values["unit"] = _slug(str(values["unit"]))
    return Answers(**values)


def _ask(zh: str, en: str, default: object) -> str:
    reply = input(f"{zh} / {en} [{default}]: ").strip()
    return reply or str(default)


def _year(value: object) -> int:
    try:
        year = int(str(value))
    except ValueError:
        raise ValueError(f"年度应是四位数字 / the year must be four digits: {value!r}") from None
    if not 1949 <= year <= 2999:
        raise ValueError(f"年度应是四位数字 / the year must be four digits: {value!r}")
    return year


def _slug(value: str) -> str:
    try:
        return check_slug(value)
    except PydanticCustomError as exc:
        raise ValueError(" / ".join(messages(exc))) from None


def write_site(target: Path, answers: Answers) -> list[Path]:
    """Write the new site into ``target`` (empty or absent); return the files written."""
    now = datetime.now()
    fields = {
        **{key: _yaml_scalar(str(value)) for key, value in asdict(answers).items()},
        "name_text": answers.name if answers.name != MARKER else "普法网站 / Law-popularization site",
        "stamp": now.strftime("%Y-%m-%d %H:%M"),
        "version": __version__,
    }
    names = {"__unit__": answers.unit, "__year__": str(answers.year), "__news__": f"{now:%Y-%m-%d}-site-opens"}
    written = [_copy(source, target, rel, names, fields) for source, rel in _starter_files()]
    content = target / "content"
    year_text = scaffold.YEAR_TEMPLATE.format(
        unit=answers.unit, year=answers.year, next_year=answers.year + 1, command="sitegen"
    )
    written.append(_write(content / "units" / answers.unit / f"{answers.year}.yaml", year_text))
    written += _editor_files(target, content)
    return written


def _starter_files() -> list[tuple[Path, str]]:
    root = theme.starter_dir()
    files = sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return [(path, path.relative_to(root).as_posix()) for path in files]


def _copy(source: Path, target: Path, rel: str, names: dict[str, str], fields: dict[str, str]) -> Path:
    """One starter file into the site: path tokens replaced, ``.tmpl`` fields filled in."""
    parts = ["." + part[4:] if part.startswith("dot-") else part for part in rel.split("/")]
    out = "/".join(parts)
    for token, value in names.items():
        out = out.replace(token, value)
    text = source.read_text(encoding="utf-8")
    if out.endswith(".tmpl"):
        out, text = out[: -len(".tmpl")], Template(text).substitute(fields)
    path = _write(target / out, text)
    if path.suffix == ".sh":
        path.chmod(0o755)
    return path


def _editor_files(target: Path, content: Path) -> list[Path]:
    """The JSON Schemas and VS Code's ``yaml.schemas`` mapping, from the model itself."""
    from .loader import period_ids

    written = [_write(target / "schemas" / f"{name}.schema.json", schema.render(name)) for name in schema.SCHEMAS]
    settings = schema.vscode_settings(period_ids(content))
    written.append(_write(target / ".vscode" / "settings.json", json.dumps(settings, ensure_ascii=False, indent=2)))
    return written


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8", newline="\n")
    return path


def _yaml_scalar(text: str) -> str:
    """``text`` as a YAML scalar: plain when YAML reads it back unchanged, else double-quoted."""
    try:
        plain = yaml.safe_load(f"k: {text}") == {"k": text} and "#" not in text
    except yaml.YAMLError:
        plain = False
    return text if plain else json.dumps(text, ensure_ascii=False)


def _print_next_steps(target: Path, written: list[Path]) -> None:
    where = target.as_posix()
    print(
        f"已创建新网站 {where}（{len(written)} 个文件）。下一步：\n"
        f"Created a new site in {where} ({len(written)} files). Next:\n"
        f"  cd {where}\n"
        "  sitegen check            # 列出还要填写的“待填写” / shows every 待填写 left to fill in\n"
        "  sitegen serve --open     # 本机预览 / live preview\n"
        "在 content/site.yaml 中填写备案号等信息；发布前的检查（sitegen check --publish）在此之前会失败。\n"
        "Fill in the registration facts in content/site.yaml: the check before publishing fails until then."
    )
