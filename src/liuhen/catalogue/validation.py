"""Validating a filled form against its document type.

``validate_fields`` returns the clean, canonical-JSON-safe values and a list of ``FieldError``s, each
with the field name, a stable English ``reason`` and a Chinese ``message``. Reasons:
``required``, ``unknown_field``, ``not_applicable`` (a field of another variant), ``wrong_type``,
``multiline``, ``too_long``, ``invalid_date``, ``invalid_datetime``, ``missing_offset``, ``too_small``,
``invalid_amount``, ``negative_amount``, ``too_many_decimals``, ``invalid_choice``, ``invalid_item``,
``duplicate_item``, ``too_few_items``, ``too_many_items``, ``out_of_order``, ``length_mismatch``,
``count_mismatch``, ``in_future``, ``signed_by_other`` (a sign-off block another role gives as an
approval step), ``not_an_object`` (field ``__all__``).

A ``past_only`` date-time later than now (``liuhen.core.clock.now``, or ``now`` given) is refused here,
in the one validation the web form, the API and drafts all go through, so an officer and an API client
hear the same thing at once rather than from a compliance report later.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from liuhen.catalogue.coerce import InvalidValue, coerce, is_empty
from liuhen.catalogue.fields import FieldSpec
from liuhen.catalogue.types import Check, DocumentType
from liuhen.core import clock

NON_FIELD = "__all__"


@dataclass(frozen=True, slots=True)
class FieldError:
    field: str
    reason: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def errors_by_field(errors: list[FieldError]) -> dict[str, str]:
    """The first Chinese message per field, for showing next to form inputs."""
    result: dict[str, str] = {}
    for error in errors:
        result.setdefault(error.field, error.message)
    return result


def validate_fields(
    doc_type: DocumentType, data: Mapping[str, Any], *, now: dt.datetime | None = None
) -> tuple[dict[str, Any], list[FieldError]]:
    """Check ``data`` against ``doc_type``; return ``(clean, errors)``.

    ``clean`` holds every valid filled field (in form order), blanks left out; it is complete and
    trustworthy only when ``errors`` is empty.
    """
    if not isinstance(data, Mapping):
        return {}, [FieldError(NON_FIELD, "not_an_object", "文书内容须为“字段名: 值”的对象")]
    variant = _active_variant(doc_type, data)
    applicable = {spec.name: spec for spec in doc_type.fields_for(variant)}
    errors = _stray_keys(doc_type, data, applicable, variant_known=variant is not None)
    clean: dict[str, Any] = {}
    for spec in applicable.values():
        raw = data.get(spec.name)
        if doc_type.signoff_of(spec.name) is not None:
            if not is_empty(raw):
                errors.append(_signed_by_other(doc_type, spec))
            continue
        if is_empty(raw):
            if spec.required:
                errors.append(_required(spec))
            continue
        try:
            clean[spec.name] = _not_future(spec, coerce(spec, raw), now or clock.now())
        except InvalidValue as invalid:
            errors.append(FieldError(spec.name, invalid.reason, invalid.message))
    failed = {error.field for error in errors}
    for check in doc_type.checks:
        if set(check.names()) <= set(applicable):
            error = _run_check(check, applicable, clean, failed)
            if error is not None:
                errors.append(error)
                failed.add(error.field)
    return clean, errors


def _not_future(spec: FieldSpec, value: Any, now: dt.datetime) -> Any:
    if spec.past_only and dt.datetime.fromisoformat(value) > now:
        shown = now.astimezone(clock.SHANGHAI).strftime("%Y-%m-%d %H:%M")
        raise InvalidValue("in_future", f"{spec.label}不得晚于当前时间（北京时间 {shown}）")
    return value


def _active_variant(doc_type: DocumentType, data: Mapping[str, Any]) -> str | None:
    if doc_type.variant_field is None:
        return None
    value = data.get(doc_type.variant_field)
    return value if isinstance(value, str) and value in doc_type.variants else None


def _stray_keys(
    doc_type: DocumentType, data: Mapping[str, Any], applicable: dict[str, FieldSpec], *, variant_known: bool
) -> list[FieldError]:
    errors: list[FieldError] = []
    known = doc_type.all_fields()
    for key in data:
        if key in applicable:
            continue
        if key in known:
            if variant_known and not is_empty(data[key]):
                selector = doc_type.get_field(doc_type.variant_field or "")
                chosen = selector.choice_label(data[selector.name])
                errors.append(
                    FieldError(key, "not_applicable", f"{known[key].label}不适用于{selector.label}“{chosen}”")
                )
            continue
        errors.append(FieldError(str(key), "unknown_field", f"“{key}”不是{doc_type.title}的字段"))
    return errors


def _signed_by_other(doc_type: DocumentType, spec: FieldSpec) -> FieldError:
    block = doc_type.signoff_of(spec.name)
    steps = block.steps_zh if block else ""
    return FieldError(spec.name, "signed_by_other", f"{spec.label}由签署人本人以{steps}填写，制作文书时不填")


def _required(spec: FieldSpec, because: str = "") -> FieldError:
    return FieldError(spec.name, "required", f"{spec.label}为必填项{because}")


def _run_check(
    check: Check, specs: dict[str, FieldSpec], clean: dict[str, Any], failed: set[str]
) -> FieldError | None:
    first, second = specs[check.field], specs[check.other]
    if check.kind == "required_if":
        if (
            check.field in clean
            or check.field in failed
            or not _condition_holds(clean.get(check.other), check)
        ):
            return None
        return _required(first, f"（{second.label}为“{_value_label(second, check.value)}”时）")
    if check.kind == "requires":
        if check.field not in clean or check.other in clean or check.other in failed:
            return None
        return _required(second, f"（已填写{first.label}时）")
    if check.field not in clean or check.other not in clean:
        return None
    a, b = clean[check.field], clean[check.other]
    if check.kind == "ordered" and not _not_after(first, a, second, b):
        return FieldError(second.name, "out_of_order", f"{second.label}不得早于{first.label}")
    if check.kind == "same_length" and len(a) != len(b):
        return FieldError(second.name, "length_mismatch", f"{second.label}应与{first.label}一一对应")
    if check.kind == "count_of" and a != len(b):
        return FieldError(first.name, "count_mismatch", f"{first.label}应与{second.label}的人数一致")
    return None


def _condition_holds(value: Any, check: Check) -> bool:
    if isinstance(value, list):
        return check.value in value
    return value is not None and value == check.value and type(value) is type(check.value)


def _value_label(spec: FieldSpec, value: str | bool | None) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    return spec.choice_label(value) if value is not None else ""


def _not_after(first: FieldSpec, a: str, second: FieldSpec, b: str) -> bool:
    """Whether ``a`` is not after ``b``; a date against a datetime compares by (local) day."""
    if first.kind == second.kind == "datetime":
        return dt.datetime.fromisoformat(a) <= dt.datetime.fromisoformat(b)
    return a[:10] <= b[:10]
