"""Build the configured blob store from a plain dict (settings stay in the Django layer)."""

from __future__ import annotations

from typing import Any

from liuhen.storage.base import BlobStore
from liuhen.storage.local import LocalBlobStore
from liuhen.storage.s3 import S3BlobStore

_S3_CLIENT_KEYS = {
    "region": "region_name",
    "access_key_id": "aws_access_key_id",
    "secret_access_key": "aws_secret_access_key",
}


class StorageConfigError(ValueError):
    """The storage configuration is incomplete or names an unknown backend."""


def storage_from_config(config: dict[str, Any]) -> BlobStore:
    """Return a blob store for ``{"backend": "local", "root": ...}`` or ``{"backend": "s3", ...}``.

    S3 keys: ``bucket`` (required), ``endpoint_url``, ``region``, ``access_key_id``,
    ``secret_access_key``, ``prefix``, ``multipart_threshold``, ``multipart_chunksize``.
    """
    backend = config.get("backend", "local")
    if backend == "local":
        if not config.get("root"):
            raise StorageConfigError("local storage needs 'root'")
        return LocalBlobStore(config["root"])
    if backend == "s3":
        return _s3_from_config(config)
    raise StorageConfigError(f"unknown storage backend {backend!r} (expected 'local' or 's3')")


def _s3_from_config(config: dict[str, Any]) -> S3BlobStore:
    if not config.get("bucket"):
        raise StorageConfigError("s3 storage needs 'bucket'")
    known = {"backend", "bucket", "endpoint_url", "prefix", "multipart_threshold", "multipart_chunksize"}
    unknown = set(config) - known - set(_S3_CLIENT_KEYS)
    if unknown:
        raise StorageConfigError(f"unknown s3 storage settings: {sorted(unknown)}")
    client_kwargs = {_S3_CLIENT_KEYS[k]: v for k, v in config.items() if k in _S3_CLIENT_KEYS}
    sizes = {k: int(config[k]) for k in ("multipart_threshold", "multipart_chunksize") if k in config}
    return S3BlobStore(
        config["bucket"],
        config.get("endpoint_url"),
        prefix=config.get("prefix", ""),
        **sizes,
        **client_kwargs,
    )
