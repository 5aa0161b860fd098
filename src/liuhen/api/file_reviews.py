"""API of issue #14: Case-file reviews (案卷评查): sheets, scores, reports."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["file_reviews"])
