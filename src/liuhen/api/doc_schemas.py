"""API schemas for creating documents, generated from the catalogue: one model per document type,
discriminated by ``doc_type``, so the OpenAPI document lists every form's fields."""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any, Literal, Union

from pydantic import ConfigDict, Field, create_model

from liuhen.api.schemas import Schema
from liuhen.catalogue import CATALOGUE
from liuhen.catalogue.fields import FieldSpec

_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"  # ASCII digits: \d would take ١٢٣٤ too
_AMOUNT = r"^[0-9]+(\.[0-9]{1,2})?$"


def _annotation(spec: FieldSpec) -> Any:
    meta: dict[str, Any] = {"title": spec.label, "description": spec.help or spec.label}
    if spec.kind in ("text", "longtext"):
        return Annotated[str, Field(max_length=spec.effective_max_length(), **meta)]
    if spec.kind == "date":
        return Annotated[str, Field(pattern=_DATE, **meta)]
    if spec.kind == "datetime":
        return Annotated[str, Field(description=f"{spec.label}（ISO 8601，含时区）", title=spec.label)]
    if spec.kind == "integer":
        return Annotated[int, Field(strict=True, **meta)]
    if spec.kind == "amount":
        return Annotated[str, Field(pattern=_AMOUNT, **meta)]
    if spec.kind == "choice":
        return Annotated[Literal[tuple(spec.choice_values)], Field(**meta)]  # type: ignore[misc]
    if spec.kind == "boolean":
        return Annotated[bool, Field(strict=True, **meta)]
    if spec.kind == "list":
        return Annotated[list[str], Field(**meta)]
    raise ValueError(f"no schema for field kind {spec.kind!r}")


def _fields_model(code: str) -> type:
    doc = CATALOGUE[code]
    definitions: dict[str, Any] = {}
    for spec in doc.fields:
        definitions[spec.name] = (_annotation(spec), ... if spec.required else None)
    for specs in doc.variants.values():
        for spec in specs:
            definitions.setdefault(spec.name, (_annotation(spec) | None, None))
    name = "".join(part.title() for part in code.split("_"))
    return create_model(
        f"{name}Fields", __config__=ConfigDict(extra="forbid", title=f"{doc.title}（字段）"), **definitions
    )


def _create_model(code: str) -> type:
    name = "".join(part.title() for part in code.split("_"))
    return create_model(
        f"{name}Create",
        __base__=Schema,
        doc_type=(Literal[code], Field(description=CATALOGUE[code].title)),  # type: ignore[valid-type,arg-type]
        number=(str, Field("", max_length=64, description="文号")),
        confidential=(bool, False),
        fields=(_fields_model(code), ...),
    )


@cache
def document_create_schema() -> Any:
    models = tuple(_create_model(code) for code in CATALOGUE)
    return Annotated[Union[models], Field(discriminator="doc_type")]  # noqa: UP007
