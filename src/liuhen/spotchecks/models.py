"""Spot checks of recording (抽查), the check register (检查台账) and rectifications (issue #14)."""

from __future__ import annotations
