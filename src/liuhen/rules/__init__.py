"""Rule profiles for the five agencies and the pure compliance engine (no Django imports)."""

from liuhen.rules.deadlines import add_months, due_days_after, due_hours_after, due_months_after
from liuhen.rules.engine import evaluate, gate, summarise
from liuhen.rules.findings import Finding
from liuhen.rules.profile import (
    ChecklistItem,
    Profile,
    ProfileInvalid,
    Rule,
    load_profile,
    shipped_profile_ids,
)
from liuhen.rules.render import render_profile
from liuhen.rules.validate import ValidationError, validate_profile_file

__all__ = [
    "ChecklistItem",
    "Finding",
    "Profile",
    "ProfileInvalid",
    "Rule",
    "ValidationError",
    "add_months",
    "due_days_after",
    "due_hours_after",
    "due_months_after",
    "evaluate",
    "gate",
    "load_profile",
    "render_profile",
    "shipped_profile_ids",
    "summarise",
    "validate_profile_file",
]
