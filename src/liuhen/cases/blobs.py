"""The configured blob store, built once per process from ``settings.LIUHEN_STORAGE``."""

from __future__ import annotations

from functools import cache

from django.conf import settings

from liuhen.storage import BlobStore, storage_from_config


@cache
def blob_store() -> BlobStore:
    return storage_from_config(dict(settings.LIUHEN_STORAGE))
