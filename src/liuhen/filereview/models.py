"""Case-file reviews (案卷评查): scoring sheets, scores, ratings and campaigns (issue #14)."""

from __future__ import annotations
