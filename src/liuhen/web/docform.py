"""Web forms generated from the document catalogue: one input per ``FieldSpec``, and back.

``form_fields`` turns a document type (plus the chosen variant, the values typed so far and the
errors) into a list of ``FormField``s that the ``web/_field.html`` template renders. ``parse_submission``
turns the posted form back into the typed values ``validate_fields`` expects (integers, booleans,
lists, ISO date-times with the local offset). Values that cannot be converted are passed on as typed,
so the catalogue's validation reports them with its own Chinese message. No Django imports.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from liuhen.catalogue import DocumentType, FieldSpec

PREFIX = "f_"
_INTEGER = re.compile(r"^[+-]?[0-9]+$")
_LOCAL_DATETIME = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2})?$")

WIDGETS = {
    "text": "text",
    "longtext": "textarea",
    "date": "date",
    "datetime": "datetime",
    "integer": "number",
    "amount": "amount",
    "choice": "select",
    "boolean": "yesno",
}


class FormData(Protocol):
    """What a Django ``QueryDict`` offers and the parser needs."""

    def get(self, key: str, default: Any = None) -> Any: ...

    def getlist(self, key: str) -> list[str]: ...


@dataclass(frozen=True)
class FormField:
    """One rendered input: the spec, its HTML name, the widget, the current value(s) and the error."""

    spec: FieldSpec
    widget: str  # text textarea date datetime number amount select yesno lines checkboxes
    value: str = ""
    selected: frozenset[str] = frozenset()
    error: str = ""
    variant_selector: bool = False
    variant_label: str = ""  # set on fields that belong to the chosen variant

    @property
    def input_name(self) -> str:
        return PREFIX + self.spec.name

    @property
    def input_id(self) -> str:
        return "id_" + PREFIX + self.spec.name

    @property
    def with_seconds(self) -> bool:
        """A date-time value with seconds needs ``step="1"`` or the browser rejects it."""
        return self.widget == "datetime" and len(self.value) == 19


def widget_for(spec: FieldSpec) -> str:
    if spec.kind == "list":
        return "checkboxes" if spec.choices else "lines"
    return WIDGETS[spec.kind]


def chosen_variant(doc_type: DocumentType, values: Mapping[str, Any]) -> str | None:
    """The variant picked in ``values`` (raw form values keyed by field name), if any."""
    if doc_type.variant_field is None:
        return None
    value = values.get(doc_type.variant_field)
    return value if isinstance(value, str) and value in doc_type.variants else None


@dataclass(frozen=True)
class GeneratedForm:
    """The inputs of one document type: the base fields, and those of the chosen variant apart, so that the
    page can swap the variant's inputs alone when the choice changes."""

    doc_type: DocumentType
    base: list[FormField]
    extra: list[FormField]
    variant_label: str = ""

    @property
    def all(self) -> list[FormField]:
        return self.base + self.extra

    @property
    def error_count(self) -> int:
        return sum(1 for ff in self.all if ff.error)

    def unplaced(self, errors: Mapping[str, str]) -> list[str]:
        """Messages for fields that have no input on this form (e.g. a field of another variant)."""
        shown = {ff.spec.name for ff in self.all}
        return [message for name, message in errors.items() if name not in shown]


def form_fields(
    doc_type: DocumentType,
    *,
    values: Mapping[str, Any] | None = None,
    errors: Mapping[str, str] | None = None,
    tz: str = "Asia/Shanghai",
) -> GeneratedForm:
    """The inputs for ``doc_type``: base fields, then those of the chosen variant. ``values`` may be raw
    form values or a document's clean values (shown in local time ``tz``)."""
    values, errors, zone = values or {}, errors or {}, ZoneInfo(tz)
    variant = chosen_variant(doc_type, values)
    label = ""
    if variant is not None:
        label = doc_type.get_field(doc_type.variant_field or "").choice_label(variant)

    def build(specs: tuple[FieldSpec, ...], variant_label: str) -> list[FormField]:
        return [
            _form_field(
                spec,
                values.get(spec.name),
                errors.get(spec.name, ""),
                zone,
                variant_selector=spec.name == doc_type.variant_field,
                variant_label=variant_label,
            )
            for spec in specs
        ]

    extra = doc_type.variants.get(variant, ()) if variant is not None else ()
    return GeneratedForm(doc_type, build(doc_type.fields, ""), build(tuple(extra), label), label)


def _form_field(
    spec: FieldSpec, raw: Any, error: str, zone: ZoneInfo, *, variant_selector: bool, variant_label: str
) -> FormField:
    widget = widget_for(spec)
    if widget == "checkboxes":
        selected = frozenset(raw or ())
        return FormField(spec, widget, selected=selected, error=error, variant_label=variant_label)
    return FormField(
        spec,
        widget,
        value=_display(widget, raw, zone),
        error=error,
        variant_selector=variant_selector,
        variant_label=variant_label,
    )


def _display(widget: str, raw: Any, zone: ZoneInfo) -> str:
    if raw is None:
        return ""
    if widget == "lines" and isinstance(raw, (list, tuple)):
        return "\n".join(str(item) for item in raw)
    if widget == "yesno" and isinstance(raw, bool):
        return "true" if raw else "false"
    if widget == "datetime" and isinstance(raw, str):
        return _as_local_input(raw, zone)
    return str(raw)


def _as_local_input(raw: str, zone: ZoneInfo) -> str:
    """An ISO date-time with offset as ``<input type="datetime-local">`` shows it, in local time."""
    try:
        moment = dt.datetime.fromisoformat(raw)
    except ValueError:
        return raw  # as typed; the error message says what is wrong
    if moment.tzinfo is not None:
        moment = moment.astimezone(zone)
    return moment.strftime("%Y-%m-%dT%H:%M:%S" if moment.second else "%Y-%m-%dT%H:%M")


def raw_values(doc_type: DocumentType, data: FormData) -> dict[str, Any]:
    """The posted values by field name, as typed (strings; lists for checkbox groups)."""
    raw: dict[str, Any] = {}
    for name, spec in doc_type.all_fields().items():
        key = PREFIX + name
        if widget_for(spec) == "checkboxes":
            raw[name] = [item for item in data.getlist(key) if item]
        else:
            raw[name] = data.get(key, "") or ""
    return raw


def parse_submission(doc_type: DocumentType, data: FormData, *, tz: str) -> dict[str, Any]:
    """The typed field values for ``validate_fields``; blanks and other variants' fields left out."""
    raw = raw_values(doc_type, data)
    variant = chosen_variant(doc_type, raw)
    parsed: dict[str, Any] = {}
    for spec in doc_type.fields_for(variant):
        value = _parse(spec, raw[spec.name], ZoneInfo(tz))
        if value not in (None, "", []):
            parsed[spec.name] = value
    return parsed


def _parse(spec: FieldSpec, raw: Any, zone: ZoneInfo) -> Any:
    widget = widget_for(spec)
    if widget == "checkboxes":
        return list(raw)
    text = str(raw).strip()
    if not text:
        return None
    if widget == "lines":
        return [line.strip() for line in text.splitlines() if line.strip()]
    if widget == "number":
        return int(text) if _INTEGER.match(text) else text
    if widget == "yesno":
        return {"true": True, "false": False}.get(text, text)
    if widget == "datetime":
        return _local_datetime(text, zone)
    return raw.replace("\r\n", "\n") if widget == "textarea" else text


def _local_datetime(text: str, zone: ZoneInfo) -> str:
    """``2026-03-02T09:30`` from a datetime-local input, read as local time, with its UTC offset."""
    if not _LOCAL_DATETIME.match(text):
        return text  # has an offset already, or is invalid: the catalogue decides
    try:
        moment = dt.datetime.fromisoformat(text.replace(" ", "T"))
    except ValueError:
        return text
    return moment.replace(tzinfo=zone).isoformat()


def changed_values(
    doc_type: DocumentType, current: Mapping[str, Any], proposed: Mapping[str, Any]
) -> dict[str, Any]:
    """The fields whose proposed value differs from the current one (a cleared field maps to ``None``);
    date-times compare as instants, ticked boxes as sets. Turns an edited copy of a document into an amendment's ``changes``."""
    changes: dict[str, Any] = {}
    for name, spec in doc_type.all_fields().items():
        before, after = current.get(name), proposed.get(name)
        if before == after or (spec.kind == "datetime" and _same_instant(before, after)):
            continue
        if widget_for(spec) == "checkboxes" and sorted(before or []) == sorted(after or []):
            continue  # ticked boxes have no order
        changes[name] = after
    return changes


def _same_instant(a: Any, b: Any) -> bool:
    try:
        return dt.datetime.fromisoformat(a) == dt.datetime.fromisoformat(b)
    except (TypeError, ValueError):
        return False
