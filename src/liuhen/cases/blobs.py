"""The configured blob store, built once per process from ``settings.LIUHEN_STORAGE``."""

from __future__ import annotations

import hashlib
from functools import cache

from django.conf import settings

from liuhen.storage import BlobStore, storage_from_config


@cache
def blob_store() -> BlobStore:
    return storage_from_config(dict(settings.LIUHEN_STORAGE))


def verified_content(sha256: str) -> bytes | None:
    """The whole stored file named ``sha256`` (a package handed out), or ``None`` when its bytes no
    longer hash to that name (the caller says so in its own words)."""
    content = b"".join(blob_store().open_range(sha256))
    return content if hashlib.sha256(content).hexdigest() == sha256 else None
