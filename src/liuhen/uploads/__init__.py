"""Resumable evidence uploads: a framework-independent tus 1.0.0 server core plus a WSGI adapter."""

from liuhen.uploads.state import UploadInfo
from liuhen.uploads.tus import OnComplete, TusError, TusResponse, TusServer

__all__ = ["OnComplete", "TusError", "TusResponse", "TusServer", "UploadInfo"]
