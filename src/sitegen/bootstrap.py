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
import os
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".venv"
STAMP = VENV / "sitegen-requirements.sha256"
IMPORT_NAMES = {"PyYAML": "yaml", "Markdown": "markdown", "Jinja2": "jinja2"}


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


def _digest(extras: tuple[str, ...]) -> str:
    data = (ROOT / "pyproject.toml").read_bytes() + repr(sorted(extras)).encode()
    return hashlib.sha256(data).hexdigest()


def _inside_venv() -> bool:
    return Path(sys.prefix).resolve() == VENV.resolve()


def ensure(extras: tuple[str, ...] = ()) -> None:
    """Make sure the requirements are importable; re-run inside ``.venv`` if needed."""
    if not missing(extras) and (not _inside_venv() or _stamp_ok(extras)):
        return
    if os.environ.get("SITEGEN_BOOTSTRAPPED"):
        sys.exit(f"sitegen: could not install {', '.join(missing(extras))} into {VENV}.")
    python = _venv_python()
    if not python.exists():
        print(f"sitegen: creating a virtual environment in {VENV} …", file=sys.stderr)
        venv.EnvBuilder(with_pip=True).create(VENV)
    if not _stamp_ok(extras):
        print("sitegen: installing the required packages (first run only) …", file=sys.stderr)
        cmd = [
            str(python),
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            "-q",
            *requirements(extras),
        ]
        subprocess.run(cmd, check=True)
        STAMP.write_text(_digest(extras), encoding="utf-8")
    env = dict(os.environ, SITEGEN_BOOTSTRAPPED="1")
    completed = subprocess.run([str(python), *sys.argv], env=env)
    sys.exit(completed.returncode)


def _stamp_ok(extras: tuple[str, ...]) -> bool:
    return STAMP.is_file() and STAMP.read_text(encoding="utf-8").strip() == _digest(extras)
