"""The export bundle: a directory an auditor can verify offline with nothing but Python.

Layout (format ``liuhen-bundle/1``; ``docs/bundle-format.md`` is the long version)::

    manifest.json              {"format": "liuhen-bundle/1", "origin": <log origin>, "entries": N,
                                "created_at": <ISO 8601 text>, "verifier": "verifier/"}
    entries.jsonl              entry i on line i+1: its exact canonical JSON bytes, then one 0x0A
    tree/leaf-hashes.bin       the log's leaf hash of every entry, 32 bytes each, in order
    checkpoints/<NNNNNNNN>.note  the signed checkpoints, oldest first (zero-padded sequence numbers)
    keys/verifiers.txt         the log's verifier keys, one per line, old (rotated) keys included
    files/sha256/<hex>         every content file an entry refers to, named by its SHA-256
    verifier/liuhen/...        a copy of this package: ``cd verifier && python -m liuhen.tlog.verify ..``

Entries are canonical JSON objects (sorted keys, UTF-8, no whitespace) with at least ``"index"``
(their 0-based position in the log). Files are referenced from ``"contents"``: a list of objects
``{"sha256": <64 lowercase hex>, "size": <bytes>, "kind": "media"|"document"|..., "path"?: ...}``.
A leaf hash is ``SHA-256(0x00 || entry bytes)`` (RFC 9162); checkpoints sign the tree's root.
``tree/leaf-hashes.bin`` is not trusted by itself: it is checked against the signed roots and
only then used to say *which* entry was modified, removed, inserted or moved.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from . import merkle

FORMAT = "liuhen-bundle/1"
MANIFEST = "manifest.json"
ENTRIES = "entries.jsonl"
LEAF_HASHES = "tree/leaf-hashes.bin"
CHECKPOINTS = "checkpoints"
VERIFIERS = "keys/verifiers.txt"
FILES = "files/sha256"
VERIFIER_DIR = "verifier"
README = "README.txt"
_README = """留痕 Liuhen — 可独立校验的执法记录导出包 / an independently verifiable export

本包包含：日志条目 entries.jsonl、签名检查点 checkpoints/、文件 files/、校验公钥 keys/、校验程序 verifier/。
校验只需安装 Python 3（无需其他软件，无需联网，无需留痕服务器）：

    cd verifier
    python3 -m liuhen.tlog.verify .. --key '<公开发布的校验公钥 / the published verifier key>'

输出 OK 表示：条目未被删除、插入、调换或修改，检查点签名有效且前后一致，文件与记录的 SHA-256 相符。
否则每个问题一行，指明对象和类型（modified, missing, extra, reordered, file corrupted, file missing,
bad signature, inconsistent checkpoints）。请使用机关公开发布的公钥（--key），不要只信任包内 keys/ 中的公钥。

Log origin: {origin}
"""


def checkpoint_name(sequence: int) -> str:
    """File name of the ``sequence``-th checkpoint (1-based): ``checkpoints/00000001.note``."""
    return f"{CHECKPOINTS}/{sequence:08d}.note"


def write_bundle(
    dest: Path,
    *,
    origin: str,
    entries: Sequence[bytes],
    checkpoints: Sequence[str],
    verifier_keys: Sequence[str],
    files: Mapping[str, Path | bytes],
    created_at: str,
    leaf_hashes: Sequence[bytes] | None = None,
    include_verifier: bool = True,
) -> None:
    """Write a bundle into the (new or empty) directory ``dest``.

    ``entries`` are the canonical bytes in log order; ``checkpoints`` the signed notes oldest first
    (the last one should cover every entry); ``files`` maps SHA-256 hex to a source path or bytes.
    """
    dest.mkdir(parents=True, exist_ok=True)
    for raw in entries:
        if b"\n" in raw:
            raise ValueError("canonical JSON entries never contain a raw newline byte")
    (dest / ENTRIES).write_bytes(b"".join(raw + b"\n" for raw in entries))
    hashes = leaf_hashes if leaf_hashes is not None else [merkle.leaf_hash(raw) for raw in entries]
    _write(dest / LEAF_HASHES, b"".join(hashes))
    for seq, note in enumerate(checkpoints, start=1):
        _write(dest / checkpoint_name(seq), note.encode())
    _write(dest / VERIFIERS, "".join(key.strip() + "\n" for key in verifier_keys).encode())
    _write_files(dest / FILES, files)
    manifest = {"format": FORMAT, "origin": origin, "entries": len(entries), "created_at": created_at}
    if include_verifier:
        copy_verifier(dest / VERIFIER_DIR)
        manifest["verifier"] = VERIFIER_DIR + "/"
        (dest / README).write_text(_README.format(origin=origin), encoding="utf-8")
    _write(
        dest / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode() + b"\n"
    )


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _write_files(folder: Path, files: Mapping[str, Path | bytes]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for hex_digest, source in files.items():
        target = folder / hex_digest
        if isinstance(source, bytes):
            target.write_bytes(source)
        else:
            shutil.copyfile(source, target)


def copy_verifier(dest: Path) -> None:
    """Copy the stdlib-only verifier (``liuhen/__init__.py`` + ``liuhen/tlog/*.py``) under ``dest``."""
    package = Path(__file__).resolve().parent
    target = dest / "liuhen" / "tlog"
    target.mkdir(parents=True, exist_ok=True)
    (dest / "liuhen" / "__init__.py").write_text('"""Liuhen offline verifier (copied)."""\n')
    for source in sorted(package.glob("*.py")):
        shutil.copyfile(source, target / source.name)


def read_entries(root: Path) -> list[bytes]:
    """The entries' exact bytes, in file order (a missing final newline is tolerated)."""
    data = (root / ENTRIES).read_bytes()
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    return lines


def read_leaf_hashes(root: Path) -> list[bytes] | None:
    """The exported leaf hashes, or ``None`` when the file is absent or not a multiple of 32 bytes."""
    path = root / LEAF_HASHES
    if not path.is_file():
        return None
    data = path.read_bytes()
    if len(data) % 32:
        return None
    return [data[i : i + 32] for i in range(0, len(data), 32)]


def read_verifier_keys(path: Path) -> list[str]:
    """Key lines, skipping blanks and ``#`` comments."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def checkpoint_files(root: Path) -> list[Path]:
    """The checkpoint notes in name order (= chronological order)."""
    folder = root / CHECKPOINTS
    return sorted(folder.glob("*.note")) if folder.is_dir() else []


def content_refs(entry: object) -> Iterable[tuple[str, int]]:
    """(sha256 hex, size) of each file an entry refers to; malformed references are skipped."""
    contents = entry.get("contents") if isinstance(entry, dict) else None
    for item in contents if isinstance(contents, list) else []:
        if (
            isinstance(item, dict)
            and isinstance(item.get("sha256"), str)
            and isinstance(item.get("size"), int)
        ):
            yield item["sha256"], item["size"]


DESTROYED_ACTION = "archive.content_destroyed"  # an approved disposal (销毁清册) destroyed a content


def destroyed_refs(entry: object) -> dict[str, str]:
    """SHA-256 → 销毁清册 number of each file ``entry`` records as destroyed by approval (its absence is
    on purpose); empty for any other entry, or a destruction that kept the file (another record holds it)."""
    if not isinstance(entry, dict) or entry.get("action") != DESTROYED_ACTION:
        return {}
    details = entry.get("details")
    if not isinstance(details, dict) or details.get("outcome") != "destroyed":
        return {}
    return {sha256: str(details.get("number", "")) for sha256, _size in content_refs(entry)}


def file_sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()
