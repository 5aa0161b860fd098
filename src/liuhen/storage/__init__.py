"""Write-once, content-addressed evidence storage (local filesystem or S3 with Object Lock)."""

from liuhen.storage.base import (
    CHUNK_SIZE,
    BlobIntegrityError,
    BlobNotFound,
    BlobRef,
    BlobRetained,
    BlobStore,
    StorageError,
    StorageFull,
    blob_key,
    sha256_file,
)
from liuhen.storage.config import StorageConfigError, storage_from_config
from liuhen.storage.local import LocalBlobStore
from liuhen.storage.s3 import S3BlobStore

__all__ = [
    "CHUNK_SIZE",
    "BlobIntegrityError",
    "BlobNotFound",
    "BlobRef",
    "BlobRetained",
    "BlobStore",
    "LocalBlobStore",
    "S3BlobStore",
    "StorageConfigError",
    "StorageError",
    "StorageFull",
    "blob_key",
    "sha256_file",
    "storage_from_config",
]
