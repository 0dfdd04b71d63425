"""Setting up the environment on first use, with the standard library only.

``python build.py …`` and ``python tests/run.py`` call :func:`ensure` before importing
anything else: when the packages listed in ``pyproject.toml`` are importable they run at
once; otherwise a virtual environment is created in ``.venv/``, the packages are
installed there, and the command runs again inside it. A hash of ``pyproject.toml``
stored in the environment tells when it must be brought up to date.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".venv"
STAMP = VENV / "sitegen-requirements.sha256"
IMPORT_NAMES = {
    "PyYAML": "yaml",
    "Markdown": "markdown",
    "Jinja2": "jinja2",
    "python-docx": "docx",
    "Pillow": "PIL",
    "pytest-xdist": "xdist",
}


def requirements(extras: tuple[str, ...] = ()) -> list[str]:
    """Requirement strings from ``pyproject.toml`` (plus the given optional groups)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = list(project["dependencies"])
    for extra in extras:
        reqs += project["optional-dependencies"][extra]
    return reqs


def _import_name(requirement: str) -> str:
    name = requirement.split(";")[0]
    for sep in "<>=!~[ ":
        name = name.split(sep)[0]
    return IMPORT_NAMES.get(name, name.lower().replace("-", "_"))


def missing(extras: tuple[str, ...] = ()) -> list[str]:
    """Requirements whose module cannot be imported by this interpreter."""
    return [r for r in requirements(extras) if importlib.util.find_spec(_import_name(r)) is None]


def _venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _digest() -> str:
    """A hash of every requirement in ``pyproject.toml`` (other edits there need no reinstall)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    groups = {"": project["dependencies"], **project.get("optional-dependencies", {})}
    return hashlib.sha256(json.dumps(groups, sort_keys=True).encode()).hexdigest()


def _inside_venv() -> bool:
    return Path(sys.prefix).resolve() == VENV.resolve()


def _stamped_extras() -> set[str] | None:
    """The optional groups installed in ``.venv`` for the current requirements, or None."""
    try:
        stamp = json.loads(STAMP.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(stamp, dict) or stamp.get("requirements") != _digest():
        return None
    return set(stamp.get("extras", []))


def _stamp_ok(extras: tuple[str, ...]) -> bool:
    installed = _stamped_extras()
    return installed is not None and set(extras) <= installed


def ensure(extras: tuple[str, ...] = ()) -> None:
    """Make sure the requirements are importable; re-run inside ``.venv`` if needed.

    ``build.py`` needs the core packages, ``tests/run.py`` the test extras as well; the
    stamp records every group installed, so either command may run first and the other
    finds what it needs without reinstalling.
    """
    if not missing(extras) and (not _inside_venv() or _stamp_ok(extras)):
        return
    if os.environ.get("SITEGEN_BOOTSTRAPPED") and _inside_venv():
        sys.exit(f"sitegen: could not install {', '.join(missing(extras)) or 'the requirements'} into {VENV}.")
    python = _venv_python()
    try:
        if not python.exists():
            print(f"sitegen: creating a virtual environment in {VENV} …", file=sys.stderr)
            venv.EnvBuilder(with_pip=True).create(VENV)
        if not _stamp_ok(extras):
            _install(python, tuple(sorted(set(extras) | (_stamped_extras() or set()))))
    except KeyboardInterrupt:
        sys.exit("\nsitegen: interrupted while installing; run the command again to finish.")
    env = dict(os.environ, SITEGEN_BOOTSTRAPPED="1")
    _run_inside(python, env)


def _install(python: Path, extras: tuple[str, ...]) -> None:
    print(
        "sitegen: installing the required packages into .venv (first run only, about a minute) …",
        file=sys.stderr,
    )
    cmd = [str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q", *requirements(extras)]
    if subprocess.run(cmd).returncode != 0:
        sys.exit(f"sitegen: pip could not install the packages into {VENV}; see its message above.")
    STAMP.write_text(json.dumps({"requirements": _digest(), "extras": list(extras)}), encoding="utf-8")


def _run_inside(python: Path, env: dict[str, str]) -> None:
    """Run this command again with the environment's interpreter, and exit with its status.

    On POSIX the process is replaced (``exec``), so Ctrl-C and SIGTERM reach the real
    program directly and nothing is left holding a port. On Windows a child is started
    and waited for; Ctrl-C reaches both, and the wrapper exits quietly with the child.
    """
    argv = [str(python), *sys.argv]
    if os.name != "nt":
        sys.stdout.flush()
        sys.stderr.flush()
        os.execve(str(python), argv, env)
    child = subprocess.Popen(argv, env=env)
    while True:
        try:
            sys.exit(child.wait())
        except KeyboardInterrupt:
            continue  # the child got the same Ctrl-C; wait for it to finish
