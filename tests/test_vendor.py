"""ECharts is obtained once, verified against the pinned integrity, and then used offline."""

from __future__ import annotations

import io
import json
import os
import shutil
import tarfile
from collections.abc import Sequence
from pathlib import Path

import pytest

from sitegen.site import vendor
from sitegen.site.vendor import ECHARTS_INTEGRITY, ECHARTS_VERSION, VendorError, ensure_echarts

ROOT = Path(__file__).resolve().parents[1]

# The real download runs wherever npm exists, and always in CI (where a missing npm is a failure).
needs_npm = pytest.mark.skipif(
    shutil.which("npm") is None and not os.environ.get("CI"),
    reason="npm is not installed here (in CI this test always runs)",
)

GOOD_FILES = {
    "package/dist/echarts.min.js": b"/* not really echarts */ var echarts = {};\n",
    "package/LICENSE": b"Apache License\nVersion 2.0\n",
    "package/NOTICE": b"Apache ECharts\nCopyright The Apache Software Foundation\n",
}


def make_tgz(path: Path, files: dict[str, bytes], extra: Sequence[tuple[tarfile.TarInfo, bytes | None]] = ()) -> Path:
    """A gzipped tarball with ``files`` (name → bytes) and raw ``extra`` members."""
    with tarfile.open(path, "w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        for info, data in extra:
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    return path


def regular(name: str, data: bytes) -> tuple[tarfile.TarInfo, bytes]:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    return info, data


def cache_is_empty(cache: Path) -> bool:
    return not cache.exists() or not any(cache.rglob("*"))


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """No npm on PATH and no local tarball configured."""
    monkeypatch.setenv("PATH", "")
    monkeypatch.delenv(vendor.TARBALL_ENV, raising=False)
    assert shutil.which("npm") is None


@pytest.fixture(scope="module")
def fetched(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, vendor.VendoredEcharts]:
    """One real ``npm pack echarts@6.1.0`` into a fresh cache, shared by the tests that need it."""
    cache = tmp_path_factory.mktemp("vendor-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv(vendor.TARBALL_ENV, raising=False)
        result = ensure_echarts(cache)
    return cache, result


def test_default_cache_is_in_the_ignored_repo_folder() -> None:
    assert vendor.DEFAULT_CACHE == ROOT / ".sitegen-cache" / "vendor"
    assert "/.sitegen-cache/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()


@needs_npm
def test_npm_pack_fetches_verifies_and_stamps(fetched: tuple[Path, vendor.VendoredEcharts]) -> None:
    cache, result = fetched
    entry = cache / f"echarts-{ECHARTS_VERSION}"
    assert result.version == ECHARTS_VERSION == "6.1.0"
    assert result.integrity == ECHARTS_INTEGRITY
    assert (result.script, result.license, result.notice) == (
        entry / "echarts.min.js",
        entry / "LICENSE",
        entry / "NOTICE",
    )
    script = result.script.read_bytes()
    assert len(script) > 500_000
    assert b"echarts" in script[:2000].lower()
    assert b"Apache License" in result.license.read_bytes()
    assert b"Apache ECharts" in result.notice.read_bytes()
    stamp = json.loads((entry / vendor.STAMP_NAME).read_text(encoding="utf-8"))
    assert stamp["integrity"] == ECHARTS_INTEGRITY
    assert stamp["version"] == ECHARTS_VERSION
    assert set(stamp["files"]) == {"echarts.min.js", "LICENSE", "NOTICE"}
    # Only the entry itself: no staging folders, no tarball left behind.
    assert sorted(p.name for p in cache.iterdir()) == [f"echarts-{ECHARTS_VERSION}"]
    assert sorted(p.name for p in entry.iterdir()) == sorted(["LICENSE", "NOTICE", "echarts.min.js", vendor.STAMP_NAME])


@needs_npm
def test_second_call_works_offline(fetched: tuple[Path, vendor.VendoredEcharts], offline: None) -> None:
    cache, first = fetched
    again = ensure_echarts(cache)
    assert again == first
    assert again.script.stat().st_size == first.script.stat().st_size


def test_without_npm_or_cache_the_error_says_how_to_get_it(tmp_path: Path, offline: None) -> None:
    cache = tmp_path / "cache"
    with pytest.raises(VendorError) as caught:
        ensure_echarts(cache)
    message = str(caught.value)
    assert "npm" in message and "Node.js" in message
    assert vendor.TARBALL_ENV in message and f"echarts-{ECHARTS_VERSION}.tgz" in message
    assert "安装 Node.js" in caught.value.zh and vendor.TARBALL_ENV in caught.value.zh
    assert "Traceback" not in message
    assert "://" not in message  # no address to type: npm knows its registry
    assert cache_is_empty(cache)


def test_failing_npm_is_a_vendor_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "npm"
    fake.write_text("#!/bin/sh\necho 'npm ERR! network unreachable' >&2\nexit 1\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.delenv(vendor.TARBALL_ENV, raising=False)
    if os.name == "nt":  # pragma: no cover - a shell script is not runnable there
        pytest.skip("POSIX shell script as fake npm")
    cache = tmp_path / "cache"
    with pytest.raises(VendorError, match="network unreachable") as caught:
        ensure_echarts(cache)
    assert "exit code 1" in str(caught.value)
    assert cache_is_empty(cache)


def test_tampered_tarball_is_refused_and_nothing_is_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tgz = make_tgz(tmp_path / f"echarts-{ECHARTS_VERSION}.tgz", GOOD_FILES)
    monkeypatch.setenv(vendor.TARBALL_ENV, str(tgz))
    cache = tmp_path / "cache"
    with pytest.raises(VendorError) as caught:
        ensure_echarts(cache)
    assert ECHARTS_INTEGRITY in str(caught.value)
    assert vendor.tarball_integrity(tgz) in str(caught.value)
    assert "校验" in caught.value.zh
    assert cache_is_empty(cache)


def test_missing_local_tarball_is_explained(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(vendor.TARBALL_ENV, str(tmp_path / "nowhere.tgz"))
    with pytest.raises(VendorError, match="no such file"):
        ensure_echarts(tmp_path / "cache")
    assert cache_is_empty(tmp_path / "cache")


def trust(monkeypatch: pytest.MonkeyPatch, tgz: Path) -> None:
    """Pin the integrity to a test tarball, as if it were the published one."""
    monkeypatch.setattr(vendor, "ECHARTS_INTEGRITY", vendor.tarball_integrity(tgz))
    monkeypatch.setenv(vendor.TARBALL_ENV, str(tgz))
    monkeypatch.setenv("PATH", "")


def test_local_tarball_is_installed_and_cache_then_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tgz = make_tgz(tmp_path / "echarts.tgz", GOOD_FILES)
    trust(monkeypatch, tgz)
    cache = tmp_path / "cache"
    result = ensure_echarts(cache)
    assert result.script.read_bytes() == GOOD_FILES["package/dist/echarts.min.js"]
    assert result.license.read_bytes() == GOOD_FILES["package/LICENSE"]
    assert result.notice.read_bytes() == GOOD_FILES["package/NOTICE"]
    tgz.unlink()  # the copy is no longer needed
    assert ensure_echarts(cache) == result


def test_damaged_cache_is_not_trusted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tgz = make_tgz(tmp_path / "echarts.tgz", GOOD_FILES)
    trust(monkeypatch, tgz)
    cache = tmp_path / "cache"
    result = ensure_echarts(cache)
    result.script.write_bytes(b"alert('changed after verification')")
    repaired = ensure_echarts(cache)  # re-obtained from the (verified) tarball
    assert repaired.script.read_bytes() == GOOD_FILES["package/dist/echarts.min.js"]
    repaired.notice.unlink()
    monkeypatch.delenv(vendor.TARBALL_ENV)
    with pytest.raises(VendorError):  # incomplete and no way to get it again: an error, not a half site
        ensure_echarts(cache)


def test_path_traversal_members_are_never_extracted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    outside = tmp_path / "absolute-evil"
    tgz = make_tgz(
        tmp_path / "evil.tgz",
        GOOD_FILES,
        extra=[
            regular("../evil", b"owned"),
            regular("package/../../evil2", b"owned"),
            regular("../../cache/evil3", b"owned"),
            regular(str(outside), b"owned"),
            regular("package/dist/../../../evil4", b"owned"),
        ],
    )
    trust(monkeypatch, tgz)
    cache = tmp_path / "cache" / "vendor"
    result = ensure_echarts(cache)
    assert result.script.read_bytes() == GOOD_FILES["package/dist/echarts.min.js"]
    written = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()}
    assert written == {
        "evil.tgz",
        f"cache/vendor/echarts-{ECHARTS_VERSION}/echarts.min.js",
        f"cache/vendor/echarts-{ECHARTS_VERSION}/LICENSE",
        f"cache/vendor/echarts-{ECHARTS_VERSION}/NOTICE",
        f"cache/vendor/echarts-{ECHARTS_VERSION}/{vendor.STAMP_NAME}",
    }
    assert not (tmp_path / "evil").exists() and not outside.exists()


def test_symlinked_member_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    link = tarfile.TarInfo("package/LICENSE")
    link.type = tarfile.SYMTYPE
    link.linkname = "/etc/passwd"
    files = {k: v for k, v in GOOD_FILES.items() if k != "package/LICENSE"}
    tgz = make_tgz(tmp_path / "link.tgz", files, extra=[(link, None)])
    trust(monkeypatch, tgz)
    cache = tmp_path / "cache"
    with pytest.raises(VendorError, match="unexpected entry 'package/LICENSE'"):
        ensure_echarts(cache)
    assert cache_is_empty(cache)


def test_incomplete_package_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {k: v for k, v in GOOD_FILES.items() if k != "package/NOTICE"}
    tgz = make_tgz(tmp_path / "partial.tgz", files)
    trust(monkeypatch, tgz)
    with pytest.raises(VendorError, match="missing package/NOTICE"):
        ensure_echarts(tmp_path / "cache")
    assert cache_is_empty(tmp_path / "cache")


def test_not_a_tarball_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    junk = tmp_path / "junk.tgz"
    junk.write_bytes(b"this is not gzip")
    trust(monkeypatch, junk)
    with pytest.raises(VendorError, match="not a usable echarts package"):
        ensure_echarts(tmp_path / "cache")
    assert cache_is_empty(tmp_path / "cache")
