"""Rule profiles: the data model and the loader that resolves ``extends``.

A profile file is TOML. A profile that ``extends`` another inherits its rules, may ``disable`` some
by id, ``override`` fields of others (citation, quote, severity, titles, guards; ``params`` and
``applies_to`` are merged key by key) and adds its own ``rules``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROFILES_DIR = Path(__file__).parent / "profiles"
_REPLACEABLE = ("citation", "quote", "severity", "title_zh", "title_en", "guards", "kind")


@dataclass(frozen=True)
class Rule:
    """One machine-checkable requirement, with the regulation text it implements."""

    id: str
    kind: str
    severity: str
    citation: str
    quote: str
    title_zh: str
    title_en: str
    guards: str | None = None
    applies_to: Mapping[str, Any] = field(default_factory=dict)
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def article(self) -> int:
        return int(self.citation.split("§", 1)[1])


@dataclass(frozen=True)
class ChecklistItem:
    """One thing a recording of an activity must show (音像记录事项清单), or one thing the officer says
    during it (执法行为用语指引), with the article that says so."""

    activity: str
    text_zh: str
    citation: str


@dataclass(frozen=True)
class Profile:
    """A resolved profile (``extends`` applied), ready for the engine."""

    id: str
    name_zh: str
    name_en: str
    seed: str
    rules: tuple[Rule, ...]
    params: Mapping[str, Any] = field(default_factory=dict)
    extends: str | None = None
    av_checklist: tuple[ChecklistItem, ...] = ()
    conduct_phrases: tuple[ChecklistItem, ...] = ()  # 执法行为用语指引, per activity
    # supervision (issue #14): the spot-check checklist (:mod:`liuhen.rules.spot_checklist`) and the
    # case-file review's scoring sheet (:mod:`liuhen.rules.review_sheet`)
    spot_check_items: tuple[Any, ...] = ()
    review_items: tuple[Any, ...] = ()
    compiled: Any = field(default=None, init=False, repr=False, compare=False)

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


class ProfileInvalid(ValueError):
    """Raised by :func:`load_profile` when the file has validation errors."""

    def __init__(self, path: Path, errors: list[Any]) -> None:
        self.path = path
        self.errors = errors
        lines = "\n".join(f"  {e.location}: {e.message}" for e in errors)
        super().__init__(f"profile {path} is invalid:\n{lines}")


@dataclass(frozen=True)
class ResolvedRaw:
    """A profile file after ``extends`` with each rule's source location kept for error reports."""

    data: Mapping[str, Any]
    rules: list[tuple[str, dict[str, Any]]]  # (location, raw rule table)
    params: dict[str, Any]
    structural_errors: list[tuple[str, str]]
    av_checklist: list[tuple[str, Any]] = field(default_factory=list)  # (location, raw activity table)
    conduct_phrases: list[tuple[str, Any]] = field(default_factory=list)  # the same shape
    # ``[[spot_check_items]]`` and ``[[review_items]]``: inherited, an own item replaces the parent's
    # of the same id (``disabled = true`` drops it)
    spot_check_items: list[tuple[str, Any]] = field(default_factory=list)
    review_items: list[tuple[str, Any]] = field(default_factory=list)


def profile_path(profile_id_or_path: str | Path) -> Path:
    """A profile id (``dalian-cg``) names a shipped file; anything with a suffix or slash is a path."""
    text = str(profile_id_or_path)
    if text.endswith(".toml") or "/" in text or "\\" in text:
        return Path(text)
    return PROFILES_DIR / f"{text}.toml"


def read_toml(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def resolve_raw(path: Path, *, _seen: tuple[str, ...] = ()) -> ResolvedRaw:
    """Read ``path`` and apply its ``extends`` chain; structural problems are returned, not raised."""
    data = read_toml(path)
    errors: list[tuple[str, str]] = []
    rules: list[tuple[str, dict[str, Any]]] = []
    params: dict[str, Any] = {}
    checklist: list[tuple[str, Any]] = []
    phrases: list[tuple[str, Any]] = []
    spot: list[tuple[str, Any]] = []
    review: list[tuple[str, Any]] = []
    parent_id = data.get("extends")
    if parent_id is not None:
        parent_path = profile_path(str(parent_id)) if "/" not in str(parent_id) else Path(parent_id)
        if not parent_path.is_absolute() and not parent_path.exists():
            parent_path = path.parent / f"{parent_id}.toml"
        if str(parent_id) in _seen:
            errors.append(("extends", f"circular extends through {parent_id!r}"))
        elif not parent_path.exists():
            errors.append(("extends", f"unknown parent profile {parent_id!r}"))
        else:
            parent = resolve_raw(parent_path, _seen=(*_seen, str(data.get("id", path.stem))))
            rules = [(f"extends({parent_id}).{loc}", dict(raw)) for loc, raw in parent.rules]
            params = dict(parent.params)
            checklist = [(f"extends({parent_id}).{loc}", raw) for loc, raw in parent.av_checklist]
            phrases = [(f"extends({parent_id}).{loc}", raw) for loc, raw in parent.conduct_phrases]
            spot = [(f"extends({parent_id}).{loc}", raw) for loc, raw in parent.spot_check_items]
            review = [(f"extends({parent_id}).{loc}", raw) for loc, raw in parent.review_items]
            errors.extend((f"extends({parent_id}).{loc}", msg) for loc, msg in parent.structural_errors)
    params.update(data.get("params", {}))
    rules = _apply_disable(rules, data.get("disable", []), errors)
    rules = _apply_overrides(rules, data.get("override", {}), errors)
    for i, raw in enumerate(data.get("rules", [])):
        rules.append((f"rules[{i}]", dict(raw) if isinstance(raw, dict) else {"_invalid": raw}))
    checklist += _activity_tables(data, "av_checklist", errors)
    phrases += _activity_tables(data, "conduct_phrases", errors)
    spot = _by_id(spot, _activity_tables(data, "spot_check_items", errors))
    review = _by_id(review, _activity_tables(data, "review_items", errors))
    return ResolvedRaw(
        data=data,
        rules=rules,
        params=params,
        structural_errors=errors,
        av_checklist=checklist,
        conduct_phrases=phrases,
        spot_check_items=spot,
        review_items=review,
    )


def _by_id(inherited: list[tuple[str, Any]], own: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """The parent's items with the file's own applied: one of the same ``id`` replaces it in place
    (``disabled = true`` removes it); a new id is added at the end."""
    out = list(inherited)
    for location, raw in own:
        item_id = raw.get("id") if isinstance(raw, dict) else None
        at = next(
            (i for i, (_, old) in enumerate(out) if isinstance(old, dict) and old.get("id") == item_id), None
        )
        if isinstance(raw, dict) and raw.get("disabled") is True:
            if at is not None:
                del out[at]
            continue
        if at is None or item_id is None:
            out.append((location, raw))
        else:
            out[at] = (location, raw)
    return out


def _activity_tables(
    data: Mapping[str, Any], key: str, errors: list[tuple[str, str]]
) -> list[tuple[str, Any]]:
    """The file's own ``[[key]]`` tables (one per activity) with their locations."""
    own = data.get(key, [])
    if not isinstance(own, list):
        errors.append((key, f"must be an array of tables ([[{key}]])"))
        return []
    return [(f"{key}[{i}]", raw) for i, raw in enumerate(own)]


def _apply_disable(
    rules: list[tuple[str, dict[str, Any]]], disable: Any, errors: list[tuple[str, str]]
) -> list[tuple[str, dict[str, Any]]]:
    if not isinstance(disable, list):
        errors.append(("disable", "must be a list of rule ids"))
        return rules
    known = {raw.get("id") for _, raw in rules}
    for i, rule_id in enumerate(disable):
        if rule_id not in known:
            errors.append((f"disable[{i}]", f"no inherited rule {rule_id!r} to disable"))
    return [(loc, raw) for loc, raw in rules if raw.get("id") not in disable]


def _apply_overrides(
    rules: list[tuple[str, dict[str, Any]]], overrides: Any, errors: list[tuple[str, str]]
) -> list[tuple[str, dict[str, Any]]]:
    if not isinstance(overrides, dict):
        errors.append(("override", "must be a table keyed by rule id"))
        return rules
    by_id = {raw.get("id"): index for index, (_, raw) in enumerate(rules)}
    result = list(rules)
    for rule_id, change in overrides.items():
        location = f"override.{rule_id}"
        if rule_id not in by_id:
            errors.append((location, f"no inherited rule {rule_id!r} to override"))
            continue
        index = by_id[rule_id]
        _, raw = result[index]
        merged = dict(raw)
        for key, value in change.items():
            if key in ("params", "applies_to") and isinstance(value, dict):
                merged[key] = {**raw.get(key, {}), **value}
            elif key in _REPLACEABLE:
                merged[key] = value
            else:
                errors.append((f"{location}.{key}", f"{key!r} cannot be overridden"))
        result[index] = (location, merged)
    return result


def build_profile(resolved: ResolvedRaw) -> Profile:
    """Turn a resolved, validated raw profile into :class:`Profile` objects."""
    from liuhen.rules import review_sheet, spot_checklist

    rules = tuple(
        Rule(
            id=raw["id"],
            kind=raw["kind"],
            severity=raw["severity"],
            citation=raw["citation"],
            quote=raw["quote"],
            title_zh=raw["title_zh"],
            title_en=raw["title_en"],
            guards=raw.get("guards"),
            applies_to=dict(raw.get("applies_to", {})),
            params=dict(raw.get("params", {})),
        )
        for _, raw in resolved.rules
    )
    data = resolved.data
    profile = Profile(
        id=data["id"],
        name_zh=data.get("name_zh", ""),
        name_en=data.get("name_en", ""),
        seed=data.get("seed", ""),
        rules=rules,
        params=dict(resolved.params),
        extends=data.get("extends"),
        av_checklist=_items(resolved.av_checklist),
        conduct_phrases=_items(resolved.conduct_phrases),
        spot_check_items=spot_checklist.build(resolved.spot_check_items),
        review_items=review_sheet.build(resolved.review_items),
    )
    from liuhen.rules.compile import compile_profile

    object.__setattr__(profile, "compiled", compile_profile(profile))
    return profile


def load_profile(profile_id_or_path: str | Path) -> Profile:
    """Load, resolve (``extends``), validate and precompile a profile; raises :class:`ProfileInvalid`."""
    from liuhen.rules.validate import validate_resolved

    path = profile_path(profile_id_or_path)
    resolved = resolve_raw(path)
    errors = validate_resolved(resolved)
    if errors:
        raise ProfileInvalid(path, errors)
    return build_profile(resolved)


def shipped_profile_ids() -> list[str]:
    """The concrete (non-abstract) profiles shipped with Liuhen."""
    ids = []
    for path in sorted(PROFILES_DIR.glob("*.toml")):
        if not read_toml(path).get("abstract", False):
            ids.append(path.stem)
    return ids


def _items(tables: list[tuple[str, Any]]) -> tuple[ChecklistItem, ...]:
    """Validated ``[[av_checklist]]``-shaped tables, flattened to one item per line."""
    return tuple(
        ChecklistItem(activity=raw["activity"], text_zh=item["text_zh"], citation=item["citation"])
        for _, raw in tables
        for item in raw["items"]
    )
