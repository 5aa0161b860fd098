"""Field specifications of the statutory document forms (文书字段).

A ``FieldSpec`` describes one blank on a form: its identifier, the label printed on the statutory
form, the kind of value it holds and the constraints on it. The web forms and API schemas are
generated from these, so every spec checks its own consistency when it is built.

The small constructor helpers (``text``, ``longtext``, ``date`` …) keep the form definitions short;
they default to ``required=True`` because most blanks on a statutory form must be filled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

KINDS: tuple[str, ...] = (
    "text",  # one line
    "longtext",  # several lines / paragraphs
    "date",  # ISO YYYY-MM-DD
    "datetime",  # ISO 8601 with UTC offset
    "integer",
    "amount",  # non-negative decimal string, at most two decimals, e.g. "5000.00"
    "choice",  # one of ``choices``
    "boolean",
    "list",  # list of short strings; with ``choices`` a multiple choice
)

TEXT_KINDS = frozenset({"text", "longtext"})
# Personal data of a natural person (PIPL): masked for roles the role table does not clear.
PERSONAL_KINDS: tuple[str, ...] = ("id_number", "phone", "address")
DEFAULT_MAX_LENGTH = {"text": 200, "longtext": 5000, "list": 200}
DEFAULT_MAX_ITEMS = 50
# Where a form may take a blank's first value from instead of the officer typing it again: the case,
# its (first) party as the access layer shows it to the user, or the user filling the form in.
PREFILL_SOURCES: tuple[str, ...] = (
    "case.cause",
    "party.name",
    "party.id_number",
    "party.address",
    "party.phone",
    "party.legal_representative",
    "user.name",
)

_IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]*$")
_HAS_HAN = re.compile(r"[\u4e00-\u9fff]")


class CatalogueDefinitionError(ValueError):
    """Raised at import time when a form definition is inconsistent."""


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One blank on a statutory form.

    ``max_length`` bounds text kinds and, for ``list``, each item; ``min_items``/``max_items`` bound
    lists; ``min_value`` bounds integers. ``choices`` is a tuple of ``(value, 中文标签)``.

    ``prefill`` names where a new form takes the blank's first value from (one of ``PREFILL_SOURCES``,
    e.g. ``"case.cause"``). It lives on the spec, not in a table beside the catalogue, so that a blank
    added to a form says in the same line where its value comes from, the mapping is checked at import
    like the rest of the spec, and no form needs agency- or type-specific code. ``past_only`` marks a
    date-time that records something that has happened (送达时间, 询问开始时间): it may not be later than
    now.
    """

    name: str
    label: str
    kind: str
    required: bool = True
    help: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    max_length: int | None = None
    min_value: int | None = None
    min_items: int = 0
    max_items: int | None = None
    personal: str = ""  # one of PERSONAL_KINDS: this blank holds a natural person's personal data
    prefill: str = ""  # one of PREFILL_SOURCES
    past_only: bool = False

    def __post_init__(self) -> None:
        _check_spec(self)

    @property
    def choice_values(self) -> tuple[str, ...]:
        return tuple(value for value, _ in self.choices)

    def choice_label(self, value: str) -> str:
        """The Chinese label of a choice value (the value itself if unknown)."""
        return dict(self.choices).get(value, value)

    def effective_max_length(self) -> int | None:
        if self.max_length is not None:
            return self.max_length
        return DEFAULT_MAX_LENGTH.get(self.kind)

    def effective_max_items(self) -> int | None:
        if self.kind != "list":
            return None
        return self.max_items if self.max_items is not None else DEFAULT_MAX_ITEMS

    def as_dict(self) -> dict[str, Any]:
        """A JSON-safe description, for generated forms and API schemas."""
        return {
            "name": self.name,
            "label": self.label,
            "kind": self.kind,
            "required": self.required,
            "help": self.help,
            "choices": [[value, label] for value, label in self.choices],
            "max_length": self.effective_max_length(),
            "min_value": self.min_value,
            "min_items": self.min_items,
            "max_items": self.effective_max_items(),
            "past_only": self.past_only,
        }


def _check_spec(spec: FieldSpec) -> None:
    where = f"field {spec.name!r}"
    if not _IDENTIFIER.match(spec.name):
        raise CatalogueDefinitionError(f"{where}: name must be a snake_case identifier")
    if spec.kind not in KINDS:
        raise CatalogueDefinitionError(f"{where}: unknown kind {spec.kind!r}")
    if not _HAS_HAN.search(spec.label):
        raise CatalogueDefinitionError(f"{where}: label must be Chinese")
    if spec.kind == "choice" and not spec.choices:
        raise CatalogueDefinitionError(f"{where}: a choice field needs choices")
    if spec.choices and spec.kind not in ("choice", "list"):
        raise CatalogueDefinitionError(f"{where}: only choice and list fields take choices")
    values = [value for value, _ in spec.choices]
    if len(set(values)) != len(values):
        raise CatalogueDefinitionError(f"{where}: duplicate choice values")
    if any(not _HAS_HAN.search(label) for _, label in spec.choices):
        raise CatalogueDefinitionError(f"{where}: choice labels must be Chinese")
    if spec.max_length is not None and spec.kind not in (*TEXT_KINDS, "list"):
        raise CatalogueDefinitionError(f"{where}: max_length applies to text and list kinds only")
    if spec.min_value is not None and spec.kind != "integer":
        raise CatalogueDefinitionError(f"{where}: min_value applies to integers only")
    if (spec.min_items or spec.max_items is not None) and spec.kind != "list":
        raise CatalogueDefinitionError(f"{where}: min_items/max_items apply to lists only")
    if spec.personal and (spec.personal not in PERSONAL_KINDS or spec.kind not in TEXT_KINDS):
        raise CatalogueDefinitionError(f"{where}: personal must be one of {PERSONAL_KINDS} on a text field")
    if spec.prefill and (spec.prefill not in PREFILL_SOURCES or spec.kind not in TEXT_KINDS):
        raise CatalogueDefinitionError(f"{where}: prefill must be one of {PREFILL_SOURCES} on a text field")
    if spec.past_only and spec.kind != "datetime":
        raise CatalogueDefinitionError(f"{where}: past_only applies to date-times only")


# --- constructor helpers -------------------------------------------------------------------------


def text(
    name: str,
    label: str,
    *,
    required: bool = True,
    help: str = "",
    max_length: int = 200,
    personal: str = "",
    prefill: str = "",
) -> FieldSpec:
    return FieldSpec(
        name,
        label,
        "text",
        required=required,
        help=help,
        max_length=max_length,
        personal=personal,
        prefill=prefill,
    )


def longtext(
    name: str, label: str, *, required: bool = True, help: str = "", max_length: int = 5000
) -> FieldSpec:
    return FieldSpec(name, label, "longtext", required=required, help=help, max_length=max_length)


def date(name: str, label: str, *, required: bool = True, help: str = "") -> FieldSpec:
    return FieldSpec(name, label, "date", required=required, help=help)


def datetime_(
    name: str, label: str, *, required: bool = True, help: str = "", past_only: bool = True
) -> FieldSpec:
    """A moment on the form; most record what has happened, so ``past_only`` unless it is scheduled."""
    return FieldSpec(name, label, "datetime", required=required, help=help, past_only=past_only)


def integer(
    name: str, label: str, *, required: bool = True, help: str = "", min_value: int | None = 0
) -> FieldSpec:
    return FieldSpec(name, label, "integer", required=required, help=help, min_value=min_value)


def amount(name: str, label: str, *, required: bool = True, help: str = "") -> FieldSpec:
    return FieldSpec(name, label, "amount", required=required, help=help)


def choice(
    name: str, label: str, choices: tuple[tuple[str, str], ...], *, required: bool = True, help: str = ""
) -> FieldSpec:
    return FieldSpec(name, label, "choice", required=required, help=help, choices=choices)


def boolean(name: str, label: str, *, required: bool = True, help: str = "") -> FieldSpec:
    return FieldSpec(name, label, "boolean", required=required, help=help)


def list_(
    name: str,
    label: str,
    *,
    required: bool = True,
    help: str = "",
    choices: tuple[tuple[str, str], ...] = (),
    max_length: int = 200,
    min_items: int = 0,
    max_items: int | None = None,
) -> FieldSpec:
    return FieldSpec(
        name,
        label,
        "list",
        required=required,
        help=help,
        choices=choices,
        max_length=max_length,
        min_items=min_items,
        max_items=max_items,
    )
