"""Web forms generated from the document catalogue: one input per ``FieldSpec``, and back.

``form_fields`` turns a document type (plus the chosen variant, the values typed so far and the
errors) into a list of ``FormField``s that the ``web/_field.html`` template renders. ``parse_submission``
turns the posted form back into the typed values ``validate_fields`` expects (integers, booleans,
lists, ISO date-times with the local offset). Values that cannot be converted are passed on as typed,
so the catalogue's validation reports them with its own Chinese message. No Django imports.

Two groups of blanks are picked rather than typed when the view offers ``Pickers``: the officers
(人数、姓名、执法证件编号 — ticking the agency's people fills both lists in the same order and the count;
an officer the system does not know, e.g. from another agency on a joint operation, is typed below)
and the served document of a 送达回证 (名称 and 文号 from one of the case's documents issued to the party).
The stored fields keep their shape, so documents, amendments and the API are unchanged; without
pickers (or for a value none of them matches) the same blanks are plain inputs. ``prefilled`` fills the
empty blanks whose spec names a ``prefill`` source from what the view read for the case.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from liuhen.catalogue import DocumentType, FieldSpec
from liuhen.catalogue.coerce import is_empty
from liuhen.catalogue.definitions.common import OFFICER_FIELDS
from liuhen.catalogue.definitions.service import SERVED_FIELDS

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


OFFICER_PICK = "officer_pick"  # the ticked officers' keys, in page order
SERVED_PICK = "served_doc"  # the chosen document's key


@dataclass(frozen=True)
class Choice:
    """One thing to pick: an officer (``values`` = 姓名, 执法证号) or a document (名称, 文号)."""

    key: str
    label: str
    values: tuple[str, str]


@dataclass(frozen=True)
class Pickers:
    """What the view offers to pick from: the agency's officers, the case's documents served on the party."""

    officers: tuple[Choice, ...] = ()
    served: tuple[Choice, ...] = ()


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
    options: tuple[Choice, ...] = ()  # a picker's choices (widget officers or served)
    picked: frozenset[str] = frozenset()
    parts: tuple[FormField, ...] = ()  # a picker's typed inputs, for what is not among the options
    covers: tuple[str, ...] = ()  # the fields a picker stands for (their errors show at it)
    name: str = ""  # a picker's own input name

    @property
    def input_name(self) -> str:
        return PREFIX + (self.name or self.spec.name)

    @property
    def input_id(self) -> str:
        return "id_" + self.input_name

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
    def signoff_notes(self) -> list[str]:
        """The blocks of this form another role gives under its own login (no input here), e.g.
        "负责人意见、负责人签署日期：由签署人本人以「负责人审批」或「紧急启动补报审批」填写"."""
        specs = self.doc_type.all_fields()
        return [
            "、".join(specs[name].label for name in block.names())
            + f"：由签署人本人以{block.steps_zh}填写，制作文书时不填"
            for block in self.doc_type.signoffs
        ]

    @property
    def all(self) -> list[FormField]:
        """Every input, a picker's typed parts after the picker."""
        return [part for ff in self.base + self.extra for part in (ff, *ff.parts)]

    @property
    def error_count(self) -> int:
        return sum(1 for ff in self.all if ff.error)

    def unplaced(self, errors: Mapping[str, str]) -> list[str]:
        """Messages for fields that have no input on this form (e.g. a field of another variant)."""
        shown = {name for ff in self.all for name in (ff.spec.name, *ff.covers)}
        return [message for name, message in errors.items() if name not in shown]


def form_fields(
    doc_type: DocumentType,
    *,
    values: Mapping[str, Any] | None = None,
    errors: Mapping[str, str] | None = None,
    tz: str = "Asia/Shanghai",
    pickers: Pickers | None = None,
) -> GeneratedForm:
    """The inputs for ``doc_type``: base fields, then those of the chosen variant. ``values`` may be raw
    form values or a document's clean values (shown in local time ``tz``)."""
    values, errors, zone, pickers = values or {}, errors or {}, ZoneInfo(tz), pickers or Pickers()
    variant = chosen_variant(doc_type, values)
    label = ""
    if variant is not None:
        label = doc_type.get_field(doc_type.variant_field or "").choice_label(variant)

    def build(specs: tuple[FieldSpec, ...], variant_label: str) -> list[FormField]:
        fields = [
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
        return _grouped(fields, values, errors, pickers)

    extra = doc_type.variants.get(variant, ()) if variant is not None else ()
    own = tuple(spec for spec in doc_type.fields if doc_type.signoff_of(spec.name) is None)
    return GeneratedForm(doc_type, build(own, ""), build(tuple(extra), label), label)


def _grouped(
    fields: list[FormField], values: Mapping[str, Any], errors: Mapping[str, str], pickers: Pickers
) -> list[FormField]:
    """``fields`` with each picker group replaced by one picker input (where the first of its fields was)."""
    by_name = {ff.spec.name: ff for ff in fields}
    groups = {
        OFFICER_FIELDS[0]: (_officer_picker, OFFICER_FIELDS, pickers.officers),
        SERVED_FIELDS[0]: (_served_picker, SERVED_FIELDS, pickers.served),
    }
    result: list[FormField] = []
    for ff in fields:
        group = groups.get(ff.spec.name)
        if group is not None and all(name in by_name for name in group[1]):
            build, names, options = group
            error = next((errors[name] for name in names if errors.get(name)), "")
            result.append(build([by_name[n] for n in names], values, options, error))
        elif not any(
            ff.spec.name in names and all(n in by_name for n in names) for _, names, _ in groups.values()
        ):
            result.append(ff)
    return result


def _as_list(raw: Any) -> list[str]:
    if isinstance(raw, (list, tuple)):
        return [str(item) for item in raw]
    return [line.strip() for line in str(raw or "").splitlines() if line.strip()]


def _officer_picker(
    fields: list[FormField], values: Mapping[str, Any], options: tuple[Choice, ...], error: str
) -> FormField:
    """The officers ticked where an option has the same 姓名 and 执法证号; the rest in the typed lists."""
    count, names_ff, certs_ff = fields
    names, certs = _as_list(values.get(names_ff.spec.name)), _as_list(values.get(certs_ff.spec.name))
    known = {option.values: option.key for option in options}
    picked: set[str] = set()
    typed_names, typed_certs = [], []
    for index in range(max(len(names), len(certs))):
        pair = (_at(names, index), _at(certs, index))
        if pair in known and known[pair] not in picked:
            picked.add(known[pair])
            continue
        typed_names.append(pair[0])
        typed_certs.append(pair[1])
    parts = (
        replace(names_ff, value="\n".join(typed_names).strip("\n"), error=""),
        replace(certs_ff, value="\n".join(typed_certs).strip("\n"), error=""),
    )
    return replace(
        count,
        widget="officers",
        name=OFFICER_PICK,
        value="",
        options=options,
        picked=frozenset(picked),
        parts=parts,
        covers=OFFICER_FIELDS,
        error=error,
    )


def _at(items: list[str], index: int) -> str:
    return items[index] if index < len(items) else ""


def _served_picker(
    fields: list[FormField], values: Mapping[str, Any], options: tuple[Choice, ...], error: str
) -> FormField:
    """The document chosen where an option has the same 名称 and 文号; otherwise the typed pair."""
    title_ff, number_ff = fields
    pair = (str(values.get(title_ff.spec.name) or ""), str(values.get(number_ff.spec.name) or ""))
    chosen = next((option.key for option in options if option.values == pair), None)
    parts = (
        (title_ff, number_ff)
        if chosen is None
        else (replace(title_ff, value=""), replace(number_ff, value=""))
    )
    return replace(
        title_ff,
        widget="served",
        name=SERVED_PICK,
        value="",
        options=options,
        picked=frozenset({chosen} if chosen else ()),
        parts=tuple(replace(p, error="") for p in parts),
        covers=SERVED_FIELDS,
        error=error,
    )


def prefilled(
    doc_type: DocumentType, values: Mapping[str, Any], sources: Mapping[str, str]
) -> dict[str, Any]:
    """``values`` with each empty blank that names a ``prefill`` source filled from ``sources`` (what the
    view read for the case, already masked as the user may see it); the officers, when none is given,
    start with the user (``user.name`` and ``user.certificate_no``) where they hold a 执法证."""
    result = dict(values)
    for name, spec in doc_type.all_fields().items():
        if spec.prefill and is_empty(result.get(name)) and sources.get(spec.prefill):
            result[name] = sources[spec.prefill]
    officers = set(OFFICER_FIELDS) <= set(doc_type.all_fields())
    if (
        officers
        and sources.get("user.certificate_no")
        and all(is_empty(result.get(n)) for n in OFFICER_FIELDS)
    ):
        result.update(
            officer_count=1,
            officer_names=[sources["user.name"]],
            officer_certificate_nos=[sources["user.certificate_no"]],
        )
    return result


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


def raw_values(doc_type: DocumentType, data: FormData, pickers: Pickers | None = None) -> dict[str, Any]:
    """The posted values by field name, as typed (strings; lists for checkbox groups and picked officers)."""
    raw: dict[str, Any] = {}
    for name, spec in doc_type.all_fields().items():
        key = PREFIX + name
        if widget_for(spec) == "checkboxes":
            raw[name] = [item for item in data.getlist(key) if item]
        else:
            raw[name] = data.get(key, "") or ""
    if set(OFFICER_FIELDS) <= set(raw):
        _picked_officers(raw, data, (pickers or Pickers()).officers)
    if set(SERVED_FIELDS) <= set(raw):
        _picked_served(raw, data, (pickers or Pickers()).served)
    return raw


def _picked_officers(raw: dict[str, Any], data: FormData, options: tuple[Choice, ...]) -> None:
    """Ticked officers first (in page order), then the typed ones; the count is the number of names."""
    by_key = {option.key: option for option in options}
    picked = [by_key[key] for key in data.getlist(PREFIX + OFFICER_PICK) if key in by_key]
    count, names, certs = OFFICER_FIELDS
    raw[names] = [o.values[0] for o in picked] + _as_list(raw[names])
    raw[certs] = [o.values[1] for o in picked] + _as_list(raw[certs])
    raw[count] = str(len(raw[names])) if raw[names] else ""


def _picked_served(raw: dict[str, Any], data: FormData, options: tuple[Choice, ...]) -> None:
    chosen = next((o for o in options if o.key == data.get(PREFIX + SERVED_PICK)), None)
    if chosen is not None:
        raw[SERVED_FIELDS[0]], raw[SERVED_FIELDS[1]] = chosen.values


def parse_submission(
    doc_type: DocumentType, data: FormData, *, tz: str, pickers: Pickers | None = None
) -> dict[str, Any]:
    """The typed field values for ``validate_fields``; blanks and other variants' fields left out."""
    raw = raw_values(doc_type, data, pickers)
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
    if isinstance(raw, list):  # picked officers, already one per item
        return [item.strip() for item in raw if item.strip()]
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
