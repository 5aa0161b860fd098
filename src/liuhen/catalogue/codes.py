"""The shared codes the catalogue refers to; they live in :mod:`liuhen.core.codes`."""

from __future__ import annotations

from liuhen.core.codes import AV_ACTIVITIES, INITIATION_KINDS, PROCEDURES, STAGES
from liuhen.core.codes import PROFILE_IDS as PROFILES

BOTH_PROCEDURES: tuple[str, ...] = PROCEDURES

__all__ = ["AV_ACTIVITIES", "BOTH_PROCEDURES", "INITIATION_KINDS", "PROCEDURES", "PROFILES", "STAGES"]
