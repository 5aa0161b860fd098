"""Disc copies of an archive package (issue #12): an ISO 9660 image that a receiving archive can burn,
mount on any system and check without Liuhen.

The image is ISO 9660 level 3 (8.3-style names, files over 4 GiB in several extents) with three
further directory trees over the same data: Joliet (Windows), Rock Ridge (Linux, macOS) and UDF 2.60
(any current system; DVD/BD players), so the Chinese names of the package (``说明文件.xml``, ``目录.xml``)
show as they are. It holds the package folder, the standalone checker (the modules
:data:`liuhen.archive.check.CHECKER_MODULES` and ``CHECKER_EXTRA`` name, standard library only) with a
``check.py`` launcher, and a README in Chinese and English.

Written with pycdlib (pure Python): the image goes to a temporary file beside ``dest_iso`` and is
renamed at the end, so an interrupted write leaves no half image under the final name.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

import pycdlib

from liuhen.archive.check import reports_beside
from liuhen.core.errors import ValidationFailed
from liuhen.storage.local import fsync_dir

if TYPE_CHECKING:
    from liuhen.archive.check import CheckReport

SOURCE_ROOT = Path(__file__).resolve().parents[2]  # the folder holding the ``liuhen`` package
README_NAME = "README.txt"
LAUNCHER_NAME = "check.py"
JOLIET_MAX = 64  # UCS-2 characters per name in a Joliet tree
VOLUME_MAX = 16  # characters of a Joliet volume identifier
CHUNK = 1 << 20
LAUNCHER = '''"""Run the archive package check from this disc: python3 -S check.py PACKAGE --report-dir DIR"""

import os
import sys

sys.dont_write_bytecode = True  # the disc is read-only
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from liuhen.archive.check import main  # noqa: E402

sys.exit(main())
'''


class DiscError(ValidationFailed):
    """The folder cannot be put on a disc as it is (a link, a name too long for Joliet)."""


@dataclass(frozen=True, slots=True)
class DiscSummary:
    path: Path
    volume_id: str  # as written into the image (ISO 9660 d-characters)
    sha256: str  # of the whole image: the digest the disc copy's record keeps
    size: int  # bytes
    files: int  # files on the disc, the checker and the README included
    package: str  # the package folder's name at the disc's root


def write_iso(package_dir: Path, dest_iso: Path, *, volume_id: str) -> DiscSummary:
    """The image of ``package_dir`` (with the checker and the README) at ``dest_iso``."""
    package_dir = Path(package_dir)
    dest_iso = Path(dest_iso)
    volume = iso_volume_id(volume_id)
    iso = pycdlib.PyCdlib()
    iso.new(interchange_level=3, joliet=3, rock_ridge="1.09", udf="2.60", vol_ident=volume)
    tree = _Tree(iso)
    try:
        files = tree.add_folder(package_dir, PurePosixPath(package_dir.name))
        for report in reports_beside(package_dir):
            tree.add_file(report, PurePosixPath(report.name))
            files += 1
        for relative in _checker_files():
            tree.add_file(SOURCE_ROOT / relative, PurePosixPath(relative.as_posix()))
            files += 1
        tree.add_bytes(LAUNCHER.encode(), PurePosixPath(LAUNCHER_NAME))
        tree.add_bytes(readme(package_dir.name, volume).encode(), PurePosixPath(README_NAME))
        files += 2
        fd, name = tempfile.mkstemp(prefix=f".{dest_iso.name}.", suffix=".tmp", dir=dest_iso.parent)
        os.close(fd)
        temporary = Path(name)
        try:
            iso.write(str(temporary))
            digest, size = _sha256_and_sync(temporary)
            os.replace(temporary, dest_iso)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
    finally:
        iso.close()
    fsync_dir(dest_iso.parent)
    return DiscSummary(dest_iso, volume, digest, size, files, package_dir.name)


def iso_volume_id(volume_id: str) -> str:
    """ISO 9660 allows A–Z, 0–9 and ``_`` in a volume identifier, and the Joliet copy of it holds 16
    characters: separators go first when it is too long, then the start (the end tells discs apart)."""
    cleaned = re.sub(r"[^A-Z0-9_]+", "_", volume_id.upper()).strip("_")
    if len(cleaned) > VOLUME_MAX:
        cleaned = cleaned.replace("_", "")[-VOLUME_MAX:]
    return cleaned or "LIUHEN_ARCHIVE"


def _checker_files() -> Iterator[Path]:
    """The checker's modules, relative to the source root, as the checker itself lists them."""
    from liuhen.archive.check import CHECKER_EXTRA, CHECKER_MODULES

    for entry in (*CHECKER_MODULES, *CHECKER_EXTRA):
        path = SOURCE_ROOT / entry
        if path.is_dir():
            yield from sorted(
                p.relative_to(SOURCE_ROOT) for p in path.rglob("*.py") if "__pycache__" not in p.parts
            )
        else:
            yield Path(entry)


def _sha256_and_sync(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
        os.fsync(fh.fileno())
    return digest.hexdigest(), size


@dataclass(frozen=True, slots=True)
class _Names:
    iso_path: str
    rr_name: str
    joliet_path: str
    udf_path: str


class _Tree:
    """Adds folders and files under the same path to all four trees, with 8.3-style ISO 9660 names
    made unique per folder (the real names live in the Joliet, Rock Ridge and UDF trees)."""

    def __init__(self, iso: pycdlib.PyCdlib) -> None:
        self.iso = iso
        self.iso_paths: dict[PurePosixPath, str] = {PurePosixPath("."): ""}
        self.taken: dict[PurePosixPath, set[str]] = {}

    def add_folder(self, source: Path, at: PurePosixPath) -> int:
        self._directory(at)
        files = 0
        for child in sorted(source.iterdir()):
            if child.is_symlink():
                raise DiscError(f"{child} 是链接，光盘只收录文件")
            if child.is_dir():
                files += self.add_folder(child, at / child.name)
            else:
                self.add_file(child, at / child.name)
                files += 1
        return files

    def add_file(self, source: Path, at: PurePosixPath) -> None:
        self._parents(at)
        n = self._names(at, directory=False)
        self.iso.add_file(str(source), n.iso_path, n.rr_name, n.joliet_path, udf_path=n.udf_path)

    def add_bytes(self, content: bytes, at: PurePosixPath) -> None:
        self._parents(at)
        n = self._names(at, directory=False)
        self.iso.add_fp(
            io.BytesIO(content), len(content), n.iso_path, n.rr_name, n.joliet_path, udf_path=n.udf_path
        )

    def _parents(self, at: PurePosixPath) -> None:
        for parent in reversed(at.parents[:-1]):
            if parent not in self.iso_paths:
                self._directory(parent)

    def _directory(self, at: PurePosixPath) -> None:
        n = self._names(at, directory=True)
        self.iso.add_directory(n.iso_path, n.rr_name, n.joliet_path, udf_path=n.udf_path)

    def _names(self, at: PurePosixPath, *, directory: bool) -> _Names:
        if len(at.name) > JOLIET_MAX:
            raise DiscError(f"文件名 {at.name} 超过 {JOLIET_MAX} 个字符，无法写入光盘目录（Joliet）")
        iso_name = self._iso_name(at, directory=directory)
        iso_path = f"{self.iso_paths[at.parent]}/{iso_name}"
        if directory:
            self.iso_paths[at] = iso_path
        posix = f"/{at}"
        return _Names(iso_path if directory else f"{iso_path};1", at.name, posix, posix)

    def _iso_name(self, at: PurePosixPath, *, directory: bool) -> str:
        taken = self.taken.setdefault(at.parent, set())
        stem, dot, ext = at.name.rpartition(".") if not directory and "." in at.name else (at.name, "", "")
        clean = re.sub(r"[^A-Z0-9_]", "_", stem.upper())[:8] or "F"
        clean_ext = re.sub(r"[^A-Z0-9_]", "_", ext.upper())[:3]
        name, n = clean, 0
        while (candidate := name + (f".{clean_ext}" if clean_ext or not directory else "")) in taken:
            n += 1
            name = f"{clean[: 8 - len(str(n)) - 1]}_{n}"
        taken.add(candidate)
        return candidate


def readme(package: str, volume: str) -> str:
    return f"""留痕 Liuhen 归档信息包光盘 · Archive package disc
====================================================

本光盘（卷标 {volume}）是行政执法案卷的归档信息包（DA/T 48-2009 封装，DA/T 46-2009 元数据），
由“留痕 Liuhen 行政执法全过程记录系统”制作，内容如下：

  {package}/      归档信息包：说明文件.xml、目录（XML 与 XLSX）、每件一个文件夹（元数据 XML 与原文），
                  以及本案的可验证日志包
  check.py        四性检测程序（DA/T 70-2018 归档环节），只用 Python 标准库
  liuhen/         检测程序所需的模块

检测方法（需要 Python 3.11 或更高版本，无需安装其他软件，无需联网）：

  python3 -S check.py {package} --report-dir 检测报告存放文件夹

光盘只读，请用 --report-dir 指定一个可写的文件夹存放检测报告（XML 与 Markdown），或用 --no-report
不写报告。程序逐项列出检测结果；全部通过时退出码为 0，有不通过项时为 1 并列出其 DA/T 70 编号，
指定的文件夹不是归档信息包时为 2。光盘镜像的 SHA-256 摘要记录在制作单位的光盘登记中，可用以核对本光盘。

----

This disc (volume {volume}) holds the archive package (DA/T 48-2009 encapsulation, DA/T 46-2009
metadata) of one administrative enforcement case file, written by Liuhen, together with its checker:

  {package}/      the package: 说明文件.xml (description), 目录 (catalogue, XML and XLSX), one folder
                  per item (metadata XML and originals), and the case's verifiable log bundle
  check.py        the four-properties check (DA/T 70-2018, archiving stage), Python standard library only
  liuhen/         the modules the checker needs

To check the package (Python 3.11 or later; nothing to install, no network):

  python3 -S check.py {package} --report-dir FOLDER

The disc is read-only: give a writable FOLDER for the report (XML and Markdown), or --no-report. Exit
status 0 when every item passed, 1 when one failed (each named by its DA/T 70 number), 2 when the
folder is not a package. The SHA-256 of this disc's image is kept in the issuing agency's disc record.
"""


def check_disc(path: Path, *, expected_sha256: str | None = None) -> CheckReport:
    """The package checks on a disc: ``path`` is the mounted disc's folder (or the package folder
    itself) or the ``.iso`` image, which is read with pycdlib into a temporary folder first."""
    path = Path(path)
    if path.is_dir():
        return _checked(package_in(path), expected_sha256)
    with tempfile.TemporaryDirectory(prefix="liuhen-disc-") as folder:
        extract_iso(path, Path(folder))
        return _checked(package_in(Path(folder)), expected_sha256)


def _checked(package: Path, expected_sha256: str | None) -> CheckReport:
    from liuhen.archive.check import NotAPackage, check_package

    try:
        return check_package(package, expected_sha256=expected_sha256)
    except NotAPackage as exc:
        raise DiscError(str(exc)) from None


def package_in(root: Path) -> Path:
    """The package folder on a disc: a disc's root holds the launcher, the README, the checker's
    ``liuhen`` folder and the package; any other folder is taken to be the package itself."""
    if not ((root / LAUNCHER_NAME).is_file() and (root / README_NAME).is_file()):
        return root  # not a disc's root: the package folder itself
    folders = [p for p in root.iterdir() if p.is_dir() and p.name != "liuhen"]
    if len(folders) != 1:
        raise DiscError(f"{root} 不是留痕归档光盘：应有且只有一个归档信息包文件夹")
    return folders[0]


def extract_iso(image: Path, dest: Path) -> int:
    """Every file of ``image`` under ``dest`` by its real name (Rock Ridge, else Joliet, else ISO 9660);
    the number of files."""
    iso = pycdlib.PyCdlib()
    try:
        iso.open(str(image))
    except pycdlib.pycdlibexception.PyCdlibException as exc:
        raise DiscError(f"{image} 不是可读的光盘镜像：{exc}") from None
    try:
        kind = "rr_path" if iso.has_rock_ridge() else "joliet_path" if iso.has_joliet() else "iso_path"
        count = 0
        for folder, _dirs, files in iso.walk(**{kind: "/"}):
            target = dest / folder.lstrip("/")
            target.mkdir(parents=True, exist_ok=True)
            for name in files:
                inside = f"{folder.rstrip('/')}/{name}"
                local = name.split(";")[0] if kind == "iso_path" else name
                with open(target / local, "wb") as out:
                    iso.get_file_from_iso_fp(out, **{kind: inside})
                count += 1
        return count
    finally:
        iso.close()
