"""Shared test set-up: every test gets its own blob store and key directory under tmp_path."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _isolated_storage(request, tmp_path):
    """Point the blob store at a fresh directory for tests that use Django settings."""
    if "django_db_setup" not in request.fixturenames and "settings" not in request.fixturenames:
        yield
        return
    settings = request.getfixturevalue("settings")
    from liuhen.cases.blobs import blob_store

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; not under test
    settings.LIUHEN_STORAGE = {"backend": "local", "root": str(tmp_path / "blobs")}
    settings.LIUHEN_KEY_DIR = tmp_path / "keys"
    settings.LIUHEN_SIGNING_DIR = tmp_path / "keys" / "signing"
    settings.LIUHEN_TEMPLATE_DIR = tmp_path / "templates"
    settings.LIUHEN_SEAL_DIR = tmp_path / "seals"
    blob_store.cache_clear()
    yield
    blob_store.cache_clear()
