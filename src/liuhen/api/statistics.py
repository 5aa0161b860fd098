"""API of issue #14: Statistics: the dashboard's figures and the 统计年报 tables."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["statistics"])
