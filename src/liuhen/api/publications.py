"""API of issue #14: Publication deadlines (执法公示) and the 双公示 export."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["publications"])
