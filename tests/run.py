#!/usr/bin/env python3
"""Run the whole test suite: ``python tests/run.py [pytest arguments]``.

Installs what the tests need on first use (Python packages into ``.venv/``; on CI, as
root, the Debian packages for browser and web-server tests), then runs pytest in a process per core
(pytest-xdist, at most :data:`MAX_WORKERS`; ``-n 0`` runs it in this one).
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sitegen import bootstrap  # noqa: E402

SYSTEM_PACKAGES = {
    "chromium": "/usr/bin/chromium",
    "nginx": "/usr/sbin/nginx",
    "fonts-noto-cjk": "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",  # Chinese in screenshots/PDF
    "libreoffice-writer-nogui": "/usr/bin/soffice",  # the 公文 DOCX converted to PDF (tests/test_gongwen_pdf.py)
    "poppler-utils": "/usr/bin/pdftoppm",  # that PDF measured (pdftotext, pdfinfo, pdffonts) and drawn
}

MAX_WORKERS = 4
"""Test processes at most: the tests build sites and start browsers, and more would only contend."""


def workers(args: list[str]) -> list[str]:
    """``-n N`` for pytest-xdist (a process per core, at most :data:`MAX_WORKERS`), unless ``args`` choose."""
    chosen = any(a.startswith(("-n", "--numprocesses")) or a == "no:xdist" for a in args)
    count = min(MAX_WORKERS, os.cpu_count() or 1)
    return [] if chosen or count < 2 else ["-n", str(count)]


def install_system_packages() -> None:
    """On CI (or when root), install the Debian packages the end-to-end tests use."""
    wanted = [pkg for pkg, binary in SYSTEM_PACKAGES.items() if not Path(binary).exists()]
    can_install = shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0
    if not wanted or not can_install:
        return
    if not os.environ.get("CI") and not os.environ.get("SITEGEN_INSTALL_SYSTEM_PACKAGES"):
        return
    print(f"tests: installing {' '.join(wanted)} with apt-get …", file=sys.stderr)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *wanted], check=True, env=env)


if __name__ == "__main__":
    bootstrap.ensure(extras=("test",))
    install_system_packages()
    os.chdir(ROOT)
    import pytest

    sys.exit(pytest.main([*workers(sys.argv[1:]), *sys.argv[1:]]))
