"""API of issue #14: Spot checks (抽查), items, rectifications and the check register."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["spot_checks"])
