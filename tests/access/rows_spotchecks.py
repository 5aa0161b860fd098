"""Isolation-table rows of issue #14 (spotchecks): merged into ``API`` and ``WEB`` of
:mod:`tests.access.test_isolation`, which they import from (this module is imported at the end of
its tables)."""

from __future__ import annotations

from tests.access.test_isolation import Check  # noqa: F401

API: dict = {}
WEB: dict = {}
