"""Publication deadlines (执法公示) and the 双公示 administrative-penalty export (issue #14)."""

from __future__ import annotations
