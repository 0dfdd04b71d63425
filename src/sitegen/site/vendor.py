"""ECharts, served from the site itself: pinned, integrity-checked when obtained, offline after.

The site never loads a script from a CDN. :func:`ensure_echarts` returns the three files the
site ships (``echarts.min.js``, its ``LICENSE`` and ``NOTICE``), obtaining them once:

1. from the cache (``.sitegen-cache/vendor/echarts-6.1.0/``) when a previous run put them
   there and they still match the hashes recorded then: no network, no npm;
2. else from a tarball the user copied over, named by ``SITEGEN_ECHARTS_TGZ`` (for offices
   without internet access: ``npm pack echarts@6.1.0`` on a connected computer);
3. else with ``npm pack echarts@6.1.0`` (the package registry, through npm's own client).

Either way the tarball's SHA-512 must equal the pinned npm ``dist.integrity`` before a single
byte is extracted; on a mismatch nothing is written to the cache. Only the three files are
extracted, by reading their members and writing them to paths of our choosing (a member
name never becomes a path), into a temporary directory that replaces the cache entry in one
rename.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import SitegenError
from . import theme

ECHARTS_VERSION = "6.1.0"
ECHARTS_INTEGRITY = "sha512-q0yaFPggC9FUdsWH4blavRWFmxdrIodbkoKNAjJudAI6CA9gNPxHtV2RcZNEepZVlk4yvBYkOkbk6HIVpIyHZA=="
"""``npm view echarts@6.1.0 dist.integrity``: the SHA-512 of the published tarball."""

CACHE_ENV = "SITEGEN_CACHE_DIR"
"""Environment variable naming the folder for the vendored files (default: see :func:`default_cache`)."""


def default_cache() -> Path:
    """``$SITEGEN_CACHE_DIR``, else ``.sitegen-cache/vendor`` in sitegen's checkout when run from it, else
    in the site folder (the working directory) — git-ignored and cached by the CI files in both cases."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV]).expanduser()
    return (theme.checkout() or Path.cwd()) / ".sitegen-cache" / "vendor"


DEFAULT_CACHE = default_cache()
"""Where the vendored files live by default (git-ignored)."""

TARBALL_ENV = "SITEGEN_ECHARTS_TGZ"
"""Environment variable naming a local ``echarts-6.1.0.tgz`` to use instead of npm."""

STAMP_NAME = "sitegen-vendor.json"
"""The stamp in the cache entry: the verified tarball integrity and the hash of each file."""

# Tarball member → file name in the cache.
_MEMBERS = {
    "package/dist/echarts.min.js": "echarts.min.js",
    "package/LICENSE": "LICENSE",
    "package/NOTICE": "NOTICE",
}
_MAX_MEMBER_BYTES = 32 * 1024 * 1024  # echarts.min.js is about 1 MB; refuse anything absurd
_NPM_TIMEOUT = 600  # seconds


class VendorError(SitegenError):
    """ECharts could not be obtained or verified (exit 1). Given in English, then Chinese."""

    def __init__(self, en: str, zh: str) -> None:
        super().__init__(zh, en)


@dataclass(frozen=True)
class VendoredEcharts:
    """The verified ECharts files in the cache."""

    version: str
    script: Path
    """``echarts.min.js``."""
    license: Path
    """ECharts' ``LICENSE`` (Apache-2.0), shipped with the script."""
    notice: Path
    """ECharts' ``NOTICE``, shipped with the script."""
    integrity: str
    """The npm integrity of the tarball the files came from."""

    @property
    def directory(self) -> Path:
        return self.script.parent


def ensure_echarts(cache_dir: Path = DEFAULT_CACHE) -> VendoredEcharts:
    """The pinned ECharts files, from the cache, else a local tarball, else ``npm pack``."""
    cache_dir = Path(cache_dir)
    target = cache_dir / f"echarts-{ECHARTS_VERSION}"
    cached = _load_cached(target)
    if cached is not None:
        return cached
    with tempfile.TemporaryDirectory(prefix="sitegen-echarts-") as tmp:
        local = os.environ.get(TARBALL_ENV)
        if not local:
            print(
                f"sitegen: 首次构建：正在用 npm 下载图表库 ECharts {ECHARTS_VERSION}（约 1 MB，通常不到一分钟，"
                f"最长 {_NPM_TIMEOUT} 秒）…\n"
                f"sitegen: first build: fetching the charting library ECharts {ECHARTS_VERSION} with npm "
                f"(about 1 MB, usually under a minute, at most {_NPM_TIMEOUT} s) …",
                file=sys.stderr,
            )
        tarball = Path(local).expanduser() if local else _npm_pack(Path(tmp))
        if local and not tarball.is_file():
            raise VendorError(
                f"{TARBALL_ENV} is set to {tarball}, but there is no such file. "
                f"Copy echarts-{ECHARTS_VERSION}.tgz there, or unset {TARBALL_ENV} to use npm.",
                f"环境变量 {TARBALL_ENV} 指向 {tarball}，但该文件不存在。"
                f"请把 echarts-{ECHARTS_VERSION}.tgz 复制到该位置，"
                f"或取消设置 {TARBALL_ENV} 以使用 npm 下载。",
            )
        _verify(tarball)
        files = _read_members(tarball)
    _install(target, files)
    cached = _load_cached(target)
    if cached is None:  # pragma: no cover - only if the disk changes under us
        raise VendorError(
            f"ECharts was verified but could not be stored in {target}.",
            f"ECharts 已通过校验，但无法保存到 {target}。",
        )
    return cached


def tarball_integrity(path: Path) -> str:
    """The npm-style integrity (``sha512-`` + base64) of a file."""
    digest = hashlib.sha512()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return "sha512-" + base64.b64encode(digest.digest()).decode("ascii")


# --------------------------------------------------------------------------- cache


def _file_hash(data: bytes) -> str:
    return "sha256-" + hashlib.sha256(data).hexdigest()


def _load_cached(target: Path) -> VendoredEcharts | None:
    """The cache entry if it is complete and every file still matches its recorded hash."""
    try:
        stamp = json.loads((target / STAMP_NAME).read_text(encoding="utf-8"))
        if stamp.get("version") != ECHARTS_VERSION or stamp.get("integrity") != ECHARTS_INTEGRITY:
            return None
        recorded = stamp["files"]
        for name in _MEMBERS.values():
            if recorded.get(name) != _file_hash((target / name).read_bytes()):
                return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return VendoredEcharts(
        version=ECHARTS_VERSION,
        script=target / "echarts.min.js",
        license=target / "LICENSE",
        notice=target / "NOTICE",
        integrity=ECHARTS_INTEGRITY,
    )


def _install(target: Path, files: dict[str, bytes]) -> None:
    """Write ``files`` and the stamp into ``target`` as one rename (never half-written)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        staging.chmod(0o755)  # mkdtemp makes it private; the files are public anyway
        for name, data in files.items():
            (staging / name).write_bytes(data)
        stamp = {
            "package": "echarts",
            "version": ECHARTS_VERSION,
            "integrity": ECHARTS_INTEGRITY,
            "files": {name: _file_hash(data) for name, data in sorted(files.items())},
        }
        (staging / STAMP_NAME).write_text(json.dumps(stamp, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        if target.exists():  # a stale or damaged entry: move it aside, then take its place
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-", dir=target.parent))
            with contextlib.suppress(OSError):  # another process got there first; see below
                os.replace(target, old / "entry")
            shutil.rmtree(old, ignore_errors=True)
        try:
            os.replace(staging, target)
        except OSError:
            # Another build installed the same files at the same moment; theirs are as good.
            if _load_cached(target) is None:
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


# --------------------------------------------------------------------------- obtaining


def _how_to_get_it(reason_en: str, reason_zh: str) -> VendorError:
    return VendorError(
        f"ECharts {ECHARTS_VERSION} (the chart library this site serves itself) could not be "
        f"downloaded: {reason_en}\n"
        "To fix it, either:\n"
        "  - install Node.js (it includes npm), make sure this computer can reach the npm "
        "package registry, and run the build again; or\n"
        f"  - on a computer with internet access run `npm pack echarts@{ECHARTS_VERSION}`, copy the "
        f"file echarts-{ECHARTS_VERSION}.tgz to this computer and set the environment variable "
        f"{TARBALL_ENV} to its path, e.g. {TARBALL_ENV}=/path/to/echarts-{ECHARTS_VERSION}.tgz\n"
        "This is needed only once: afterwards the files are kept in .sitegen-cache/ "
        "and the build works offline.",
        f"无法下载 ECharts {ECHARTS_VERSION}（本网站自带的图表程序库）：{reason_zh}\n"
        "解决办法（任选其一）：\n"
        "  - 安装 Node.js（自带 npm），确认本机能访问 npm 软件包仓库，然后重新构建；或者\n"
        f"  - 在能上网的电脑上运行 `npm pack echarts@{ECHARTS_VERSION}`，把生成的 "
        f"echarts-{ECHARTS_VERSION}.tgz 复制到本机，并把环境变量 {TARBALL_ENV} 设为该文件的路径，"
        f"例如 {TARBALL_ENV}=/path/to/echarts-{ECHARTS_VERSION}.tgz\n"
        "只需做一次：之后文件保存在 .sitegen-cache/ 中，无需联网即可构建。",
    )


def _npm_pack(dest: Path) -> Path:
    """Download the pinned tarball with ``npm pack`` into ``dest``; its path."""
    npm = shutil.which("npm")
    if npm is None:
        raise _how_to_get_it("npm was not found on this computer.", "本机找不到 npm。")
    cmd = [
        npm, "pack", f"echarts@{ECHARTS_VERSION}", "--pack-destination", str(dest),
        "--silent", "--ignore-scripts",
    ]  # fmt: skip
    try:
        proc = subprocess.run(
            cmd, cwd=dest, capture_output=True, text=True, errors="replace", timeout=_NPM_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired:
        raise _how_to_get_it(
            f"npm did not finish within {_NPM_TIMEOUT} seconds.", f"npm 在 {_NPM_TIMEOUT} 秒内没有完成。"
        ) from None
    except OSError as exc:
        raise _how_to_get_it(f"npm could not be started ({exc}).", f"无法运行 npm（{exc}）。") from None
    tarballs = sorted(dest.glob("*.tgz"))
    if proc.returncode != 0 or len(tarballs) != 1:
        detail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
        said = (" npm said: " + " / ".join(detail)) if detail else ""
        said_zh = ("npm 的输出：" + " / ".join(detail)) if detail else ""
        raise _how_to_get_it(
            f"`npm pack echarts@{ECHARTS_VERSION}` failed (exit code {proc.returncode}).{said}",
            f"`npm pack echarts@{ECHARTS_VERSION}` 失败（退出码 {proc.returncode}）。{said_zh}",
        )
    return tarballs[0]


def _verify(tarball: Path) -> None:
    """Raise unless the tarball's SHA-512 is the pinned one."""
    actual = tarball_integrity(tarball)
    if actual != ECHARTS_INTEGRITY:
        raise VendorError(
            f"{tarball.name} is not the published echarts {ECHARTS_VERSION}: its SHA-512 does not match "
            f"the pinned value, so it was not used and nothing was installed. The file may be damaged, "
            f"a different version, or altered.\n"
            f"  expected {ECHARTS_INTEGRITY}\n  got      {actual}\n  file     {tarball}",
            f"{tarball.name} 不是官方发布的 echarts {ECHARTS_VERSION}：其 SHA-512 校验值与固定值不符，"
            f"因此未被使用，也没有安装任何文件。该文件可能已损坏、版本不对或被篡改。",
        )


def _read_members(tarball: Path) -> dict[str, bytes]:
    """The three wanted files' contents; regular files only, each exactly once."""
    found: dict[str, bytes] = {}
    try:
        with tarfile.open(tarball, "r:gz") as tar:
            for member in tar:
                name = _MEMBERS.get(member.name)
                if name is None:
                    continue  # everything else (including any "../" name) is never touched
                if not member.isreg() or name in found or member.size > _MAX_MEMBER_BYTES:
                    raise _bad_tarball(tarball, f"unexpected entry {member.name!r}")
                stream = tar.extractfile(member)
                if stream is None:  # pragma: no cover - isreg() members always have data
                    raise _bad_tarball(tarball, f"unreadable entry {member.name!r}")
                found[name] = stream.read()
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise _bad_tarball(tarball, str(exc)) from None
    missing = sorted(set(_MEMBERS) - {m for m, n in _MEMBERS.items() if n in found})
    if missing:
        raise _bad_tarball(tarball, "missing " + ", ".join(missing))
    return found


def _bad_tarball(tarball: Path, why: str) -> VendorError:
    return VendorError(
        f"{tarball} is not a usable echarts package ({why}); nothing was installed.",
        f"{tarball} 不是可用的 echarts 软件包（{why}），未安装任何文件。",
    )
