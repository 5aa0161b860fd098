"""Validation of profile files: every problem comes back with a location and a message."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from liuhen.rules import codes
from liuhen.rules.profile import ResolvedRaw, resolve_raw

CITATION_RE = re.compile(r"^(?P<profile>[a-z][a-z-]*[a-z])§(?P<article>[1-9][0-9]*)$")
ANCHORS = frozenset(
    {
        "case.opened_at",
        "case.emergency_started_at",
        "case.enforcement_ended_at",
        "media.captured_end",
        "media.return_or_capture",
        "document.created_at",
        "document.due_date",
    }
)
COMPLETIONS_FIXED = frozenset({"case.archived_at", "media.uploaded_at"})


@dataclass(frozen=True)
class ValidationError:
    """One problem in a profile file."""

    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


Check = Callable[[Any], str | None]


def _list_of(allowed: frozenset[str] | None, what: str) -> Check:
    def check(value: Any) -> str | None:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return f"must be a list of {what}"
        unknown = [v for v in value if allowed is not None and v not in allowed]
        return f"unknown {what}: {', '.join(unknown)}" if unknown else None

    return check


def _one_of(allowed: frozenset[str], what: str) -> Check:
    def check(value: Any) -> str | None:
        return None if value in allowed else f"unknown {what} {value!r}"

    return check


def _typed(kind: type | tuple[type, ...], what: str) -> Check:
    def check(value: Any) -> str | None:
        ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
        return None if ok else f"must be {what}"

    return check


def _non_negative_int(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return "must be a non-negative integer"
    return None


def _int_map(keys: frozenset[str] | None, what: str) -> Check:
    def check(value: Any) -> str | None:
        if not isinstance(value, dict):
            return f"must be a table of {what} to counts"
        for key, count in value.items():
            if keys is not None and key not in keys:
                return f"unknown {what} {key!r}"
            if _non_negative_int(count):
                return f"count for {key!r} must be a non-negative integer"
        return None

    return check


def _table_of_lists(value: Any) -> str | None:
    if not isinstance(value, dict) or not all(isinstance(v, list) for v in value.values()):
        return "must be a table of field name to list of values"
    return None


def _completion(value: Any) -> str | None:
    if value in COMPLETIONS_FIXED:
        return None
    if isinstance(value, str) and value.startswith("approval:"):
        return None if value[9:] in codes.APPROVAL_KINDS else f"unknown approval kind in {value!r}"
    if isinstance(value, str) and value.startswith("document:"):
        return None if value[9:] in codes.DOCUMENT_TYPES else f"unknown document type in {value!r}"
    return f"unknown completion {value!r}"


def _activity_or_any(value: Any) -> str | None:
    return None if value == "*" or value in codes.ACTIVITIES else f"unknown A/V activity {value!r}"


_BOOL = _typed(bool, "true or false")
_STR = _typed(str, "a string")
_DOC_TYPES = _list_of(codes.DOCUMENT_TYPES, "document type")
_STR_LIST = _list_of(None, "strings")

APPLIES_TO: dict[str, Check] = {
    "procedure": _list_of(codes.PROCEDURES, "procedure"),
    "initiation_kind": _list_of(codes.INITIATION_KINDS, "initiation kind"),
    "emergency_start": _BOOL,
    "is_real_name_complaint": _BOOL,
    "complaint_investigated": _BOOL,
    "flags_any": _list_of(codes.CASE_FLAGS, "case flag"),
    "flags_all": _list_of(codes.CASE_FLAGS, "case flag"),
    "flags_none": _list_of(codes.CASE_FLAGS, "case flag"),
    "has_document": _DOC_TYPES,
    "lacks_document": _DOC_TYPES,
    "has_approval": _list_of(codes.APPROVAL_KINDS, "approval kind"),
    "from_stage": _one_of(frozenset(codes.STAGES), "stage"),
    "profile_params": _typed(dict, "a table"),
    "document_type": _DOC_TYPES,
    "where": _table_of_lists,
    "where_min": _int_map(None, "field"),
    "media_activity": _activity_or_any,
    "interruption_resumed": _BOOL,
}

PARAMS: dict[str, dict[str, tuple[Check, bool]]] = {
    "required_document": {
        "document_types": (_DOC_TYPES, True),
        "min_count": (_non_negative_int, False),
        "must_precede": (_BOOL, False),
    },
    "required_field": {
        "fields": (_STR_LIST, True),
        "min_items": (_int_map(None, "field"), False),
        "allowed_values": (_table_of_lists, False),
        "must_include": (_table_of_lists, False),
    },
    "required_signatures": {
        "roles": (_int_map(codes.SIGNER_ROLES, "signer role"), True),
        "refusal_substitutes": (_list_of(codes.SIGNER_ROLES, "signer role"), False),
        "refusal_cosign_min": (_non_negative_int, False),
        "amended_party_methods": (_list_of(codes.SIGNATURE_METHODS, "signature method"), False),
        "dated": (_BOOL, False),
    },
    "required_av": {
        "activity": (_one_of(codes.ACTIVITIES, "A/V activity"), True),
        "match": (_one_of(frozenset({"linked", "activity"}), "match mode"), False),
        "min_devices": (_non_negative_int, False),
        "unsuitable_reason_allowed": (_BOOL, False),
    },
    "deadline": {
        "anchor": (_one_of(ANCHORS, "deadline anchor"), True),
        "complete": (_completion, True),
        "hours": (_non_negative_int, False),
        "days": (_non_negative_int, False),
        "months": (_non_negative_int, False),
    },
    "retention": {
        "min_months": (_non_negative_int, False),
        "long_term_flags": (_list_of(codes.CASE_FLAGS, "case flag"), False),
        "long_term_requires_offline_copy": (_BOOL, False),
    },
    "approval_chain": {
        "sequence": (_list_of(codes.APPROVAL_KINDS, "approval kind"), True),
        "document_type": (_one_of(codes.DOCUMENT_TYPES, "document type"), False),
        "require_dated": (_BOOL, False),
        "require_opinion": (_BOOL, False),
        "distinct_actors": (_BOOL, False),
        "final_decision": (_one_of(codes.DECISIONS, "decision"), False),
    },
    "prohibition": {
        "integrity_event_codes": (_list_of(codes.INTEGRITY_EVENT_CODES, "integrity event code"), False),
        "forbidden_document_types": (_DOC_TYPES, False),
    },
}
RECORD_SELECTOR_KINDS = frozenset({"required_field", "required_signatures"})
RULE_KEYS = frozenset({"id", "kind", "severity", "citation", "quote", "title_zh", "title_en", "guards"}) | {
    "applies_to",
    "params",
}
TOP_KEYS = frozenset(
    {
        "id",
        "name_zh",
        "name_en",
        "seed",
        "extends",
        "abstract",
        "disable",
        "override",
        "rules",
        "params",
        "av_checklist",
        "conduct_phrases",
        "spot_check_items",
        "review_items",
    }
)


def validate_profile_file(path: str | Path) -> list[ValidationError]:
    """Validate one profile file (with its ``extends`` chain); an empty list means valid."""
    try:
        resolved = resolve_raw(Path(path))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        return [ValidationError("$", f"cannot read profile: {exc}")]
    return validate_resolved(resolved)


def validate_resolved(resolved: ResolvedRaw) -> list[ValidationError]:
    errors = [ValidationError(loc, msg) for loc, msg in resolved.structural_errors]
    data = resolved.data
    errors += [ValidationError(key, "unknown top-level key") for key in data if key not in TOP_KEYS]
    if not isinstance(data.get("id"), str) or not data.get("id"):
        errors.append(ValidationError("id", "profile id is required"))
    abstract = bool(data.get("abstract", False))
    own_profile = None if abstract else data.get("id")
    seen: set[Any] = set()
    for location, raw in resolved.rules:
        errors += _validate_rule(location, raw, own_profile)
        rule_id = raw.get("id")
        if rule_id in seen:
            errors.append(ValidationError(f"{location}.id", f"duplicate rule id {rule_id!r}"))
        seen.add(rule_id)
    errors += _validate_checklist(resolved.av_checklist, own_profile)
    errors += _validate_checklist(resolved.conduct_phrases, own_profile)
    from liuhen.rules import review_sheet, spot_checklist

    for location, message in spot_checklist.validate(resolved.spot_check_items, own_profile):
        errors.append(ValidationError(location, message))
    for location, message in review_sheet.validate(resolved.review_items, own_profile):
        errors.append(ValidationError(location, message))
    return errors


CHECKLIST_KEYS = frozenset({"activity", "items"})
CHECKLIST_ITEM_KEYS = frozenset({"text_zh", "citation"})


def _validate_checklist(tables: list[tuple[str, Any]], own_profile: str | None) -> list[ValidationError]:
    """The 音像记录事项清单 or the 执法行为用语指引: one table per known activity, each item a Chinese
    text cited like a rule (an item the user reads must name the article of the agency's own
    regulation that asks for it)."""
    errors: list[ValidationError] = []
    seen: set[str] = set()
    for location, raw in tables:
        if not isinstance(raw, dict):
            errors.append(ValidationError(location, "must be a table with activity and items"))
            continue
        errors += [
            ValidationError(f"{location}.{k}", "unknown checklist key")
            for k in raw
            if k not in CHECKLIST_KEYS
        ]
        activity = raw.get("activity")
        if activity not in codes.ACTIVITIES:
            errors.append(ValidationError(f"{location}.activity", f"unknown A/V activity {activity!r}"))
        elif activity in seen:
            errors.append(ValidationError(f"{location}.activity", f"duplicate checklist for {activity!r}"))
        seen.add(str(activity))
        items = raw.get("items")
        if not isinstance(items, list) or not items:
            errors.append(ValidationError(f"{location}.items", "must be a non-empty list of items"))
            continue
        for i, item in enumerate(items):
            errors += _validate_checklist_item(f"{location}.items[{i}]", item, own_profile)
    return errors


def _validate_checklist_item(location: str, item: Any, own_profile: str | None) -> list[ValidationError]:
    errors: list[ValidationError] = []

    def err(sub: str, message: str) -> None:
        errors.append(ValidationError(f"{location}.{sub}" if sub else location, message))

    if not isinstance(item, dict):
        err("", "must be a table with text_zh and citation")
        return errors
    for key in item:
        if key not in CHECKLIST_ITEM_KEYS:
            err(key, "unknown checklist item key")
    text = item.get("text_zh")
    if not isinstance(text, str) or not text.strip():
        err("text_zh", "text_zh is required and must be a non-empty string")
    _check_citation(item.get("citation"), own_profile, err)
    return errors


def _validate_rule(location: str, raw: dict[str, Any], own_profile: str | None) -> list[ValidationError]:
    errors: list[ValidationError] = []

    def err(sub: str, message: str) -> None:
        errors.append(ValidationError(f"{location}.{sub}" if sub else location, message))

    for key in raw:
        if key not in RULE_KEYS:
            err(key, "unknown rule key")
    for key in ("id", "title_zh", "title_en", "quote"):
        if not isinstance(raw.get(key), str) or not raw.get(key, "").strip():
            err(key, f"{key} is required and must be a non-empty string")
    kind = raw.get("kind")
    if kind not in codes.RULE_KINDS:
        err("kind", f"unknown kind {kind!r} (expected one of {', '.join(codes.RULE_KINDS)})")
    if raw.get("severity") not in codes.SEVERITIES:
        err("severity", "severity must be 'error' or 'warning'")
    _check_citation(raw.get("citation"), own_profile, err)
    guards = raw.get("guards")
    if guards is not None and guards not in codes.STAGE_INDEX:
        err("guards", f"unknown stage {guards!r}")
    applies = raw.get("applies_to", {})
    if not isinstance(applies, dict):
        err("applies_to", "must be a table")
        applies = {}
    _check_table(applies, APPLIES_TO, "applies_to", err, required=())
    if kind in PARAMS:
        params = raw.get("params", {})
        if not isinstance(params, dict):
            err("params", "must be a table")
        else:
            schema = PARAMS[kind]
            required = tuple(name for name, (_, needed) in schema.items() if needed)
            _check_table(params, {k: c for k, (c, _) in schema.items()}, "params", err, required=required)
            _check_kind_specifics(kind, applies, params, err)
    return errors


def validate_items(
    tables: list[tuple[str, Any]],
    own_profile: str | None,
    *,
    what: str,
    keys: frozenset[str],
    autos: Mapping[str, str],
    auto_word: str,
    check: Callable[[Mapping[str, Any], Callable[[str, str], None]], None],
) -> list[tuple[str, str]]:
    """Located problems of a profile's list of supervision items (``[[spot_check_items]]``,
    ``[[review_items]]``): each a table of known ``keys`` with a unique ``id``, a ``text_zh``, a
    ``citation`` (profile§article) or a ``basis``, and an optional ``auto`` among ``autos``; ``check``
    adds the checks of the item's own keys."""
    errors: list[tuple[str, str]] = []
    seen: set[str] = set()
    for location, raw in tables:
        if not isinstance(raw, dict):
            errors.append((location, "must be a table"))
            continue

        def err(sub: str, message: str, location: str = location) -> None:
            errors.append((f"{location}.{sub}", message))

        for key in raw:
            if key not in keys:
                err(key, f"unknown {what} key")
        item_id = raw.get("id")
        if not isinstance(item_id, str) or not item_id:
            err("id", "id is required")
        elif item_id in seen:
            err("id", f"duplicate {what} id {item_id!r}")
        else:
            seen.add(item_id)
        check(raw, err)
        if not isinstance(raw.get("text_zh"), str) or not raw.get("text_zh"):
            err("text_zh", "text_zh is required")
        if "citation" in raw:
            _check_citation(raw["citation"], own_profile, err)
        elif not isinstance(raw.get("basis"), str) or not raw.get("basis"):
            err("citation", "an item needs a citation (profile§article) or a basis")
        auto = raw.get("auto")
        if auto is not None and auto not in autos:
            err("auto", f"unknown {auto_word} {auto!r}")
    return errors


def _check_citation(citation: Any, own_profile: str | None, err: Callable[[str, str], None]) -> None:
    if not isinstance(citation, str) or not citation:
        err("citation", "citation is required (form profile§article, e.g. dalian-cg§11)")
        return
    match = CITATION_RE.match(citation)
    if match is None:
        err("citation", f"citation {citation!r} is not in the form profile§article")
    elif match["profile"] not in codes.PROFILE_IDS:
        err("citation", f"citation {citation!r} names an unknown profile")
    elif own_profile is not None and match["profile"] != own_profile:
        err("citation", f"rule is cited to {match['profile']}, not to {own_profile}: re-cite or disable it")


def _check_table(
    table: Mapping[str, Any],
    schema: Mapping[str, Check],
    prefix: str,
    err: Callable[[str, str], None],
    *,
    required: tuple[str, ...],
) -> None:
    for key, value in table.items():
        check = schema.get(key)
        if check is None:
            err(f"{prefix}.{key}", "unknown key")
            continue
        problem = check(value)
        if problem:
            err(f"{prefix}.{key}", problem)
    for key in required:
        if key not in table:
            err(f"{prefix}.{key}", "required parameter is missing")


def _check_kind_specifics(
    kind: str, applies: Mapping[str, Any], params: Mapping[str, Any], err: Callable[[str, str], None]
) -> None:
    selectors = [k for k in ("document_type", "media_activity", "interruption_resumed") if k in applies]
    if len(selectors) > 1:
        err("applies_to", f"at most one record selector, got {', '.join(selectors)}")
    if kind in RECORD_SELECTOR_KINDS and "document_type" not in applies and kind == "required_signatures":
        err("applies_to.document_type", "required_signatures needs a document_type selector")
    if kind == "required_field" and not selectors:
        err("applies_to", "required_field needs a record selector (document_type, media_activity …)")
    if kind == "deadline":
        offsets = [k for k in ("hours", "days", "months") if k in params]
        if len(offsets) != 1:
            err("params", "a deadline needs exactly one of hours, days, months")
    if kind == "retention" and not ({"min_months", "long_term_flags"} & set(params)):
        err("params", "retention needs min_months or long_term_flags")
    if kind == "prohibition" and not ({"integrity_event_codes", "forbidden_document_types"} & set(params)):
        err("params", "prohibition needs integrity_event_codes or forbidden_document_types")
