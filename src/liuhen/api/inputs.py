"""What the API accepts, in one place: id and counter types that fit a 64-bit column, bounded pagination,
and one rule applied to every parsed input of every operation (no NUL character in any text, no
datetime without its time zone).

Every id in a path, a query or a body is an :data:`Id`; every position in the ledger an :data:`Index`.
An out-of-range number is then a 422 naming the parameter, never a database overflow (SQLite "Python
int too large", PostgreSQL "out of range"). Pydantic parses integers from ASCII digits only, so ``١``
or ``²`` is a 422 too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from functools import wraps
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Schema
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination
from pydantic import BaseModel, Field

from liuhen.core.errors import FieldError, ValidationFailed
from liuhen.core.ids import MAX_ID

MAX_BIGINT = MAX_ID  # the largest value of a 64-bit signed column (every primary key here)
MAX_PAGE = 1000

Id = Annotated[int, Field(ge=1, le=MAX_BIGINT, description="record id (1 … 2⁶³−1)")]
Index = Annotated[int, Field(ge=0, le=MAX_BIGINT, description="ledger position (0 … 2⁶³−1)")]
PageLimit = Annotated[int, Field(ge=1, le=MAX_PAGE, description=f"每页条数（1–{MAX_PAGE}）")]


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    """ninja's limit/offset with both bounded: ``limit`` 1…1000, ``offset`` 0…2⁶³−1."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_PAGE, description=f"每页条数（1–{MAX_PAGE}）")
        offset: int = Field(0, ge=0, le=MAX_BIGINT, description="跳过的条数")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_PAGE, **kwargs)


NUL_MESSAGE = "不得包含 NUL（\\x00）字符"
NAIVE_MESSAGE = "须带时区（如 2026-03-02T09:30:00+08:00 或 …Z）"
OFFSET_MESSAGE = "时区偏移须在 -12:00 至 +14:00 之间"
RANGE_MESSAGE = "时间超出可表示的范围"
# the offsets in use anywhere (UTC−12 … UTC+14); PostgreSQL refuses some larger ones Python accepts
_OFFSETS = (timedelta(hours=-12), timedelta(hours=14))


def input_problems(values: Mapping[str, Any]) -> list[FieldError]:
    """Every NUL character and every datetime without a usable time zone in an operation's parsed
    arguments, by field.

    Field names are those the client sent: a schema argument's fields by themselves (``cause``,
    ``fields.place``), a plain parameter by its name, list items as ``name[0]``, an upload as its form name.
    """
    problems: list[FieldError] = []
    for name, value in values.items():
        flat = isinstance(value, BaseModel)  # ninja passes a body/query/form schema as one argument
        problems.extend(_walk(value, "" if flat else name))
    return problems


def _walk(value: Any, path: str) -> Iterator[FieldError]:
    field = path or "body"
    if isinstance(value, str):
        if "\x00" in value:
            yield FieldError(field, "nul_character", NUL_MESSAGE)
    elif isinstance(value, datetime):
        yield from _check_datetime(value, field)
    elif isinstance(value, BaseModel):
        for name, spec in type(value).model_fields.items():
            yield from _walk(getattr(value, name), _join(path, spec.alias or name))
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(key, str) and "\x00" in key:
                yield FieldError(field, "nul_character", NUL_MESSAGE)
                continue
            yield from _walk(item, _join(path, str(key)))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _walk(item, f"{field}[{index}]")
    elif isinstance(value, UploadedFile) and "\x00" in (value.name or ""):
        yield FieldError(field, "nul_character", f"文件名{NUL_MESSAGE}")


def _check_datetime(value: datetime, field: str) -> Iterator[FieldError]:
    offset = value.utcoffset()
    if offset is None:
        yield FieldError(field, "timezone_required", NAIVE_MESSAGE)
    elif not _OFFSETS[0] <= offset <= _OFFSETS[1]:
        yield FieldError(field, "timezone_out_of_range", OFFSET_MESSAGE)
    else:
        try:
            value.astimezone(UTC)  # 0001-01-01T00:00+01:00 is before year 1 in UTC: no database stores it
        except OverflowError:
            yield FieldError(field, "out_of_range", RANGE_MESSAGE)


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def checked_inputs(view: Callable[..., Any]) -> Callable[..., Any]:
    """Run :func:`input_problems` on an operation's parsed arguments: a 422 naming each field, before the
    operation runs. Installed once for the whole API (``api.add_decorator(..., mode="operation")``)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        problems = input_problems(kwargs)
        if problems:
            summary = "; ".join(f"{p.field}: {p.message}" for p in problems[:5])
            raise ValidationFailed(f"请求参数不正确：{summary}", errors=problems)
        return view(request, *args, **kwargs)

    return wrapper
