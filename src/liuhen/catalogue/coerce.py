"""Turning one raw form value into its canonical-JSON-safe value, by field kind.

Each coercer returns the clean value or raises ``InvalidValue(reason, message)`` with a stable English
reason code and a Chinese message for the officer. Clean values are only ``str``, ``int``, ``bool``
or lists of ``str`` — never floats, ``Decimal`` or ``datetime`` objects.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from liuhen.catalogue.fields import FieldSpec

_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_DATETIME = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?(?P<offset>Z|[+-][0-9]{2}:[0-9]{2})?$"
)
_AMOUNT = re.compile(r"^[0-9]{1,15}(\.[0-9]+)?$")
MAX_AMOUNT_DIGITS = 15


class InvalidValue(ValueError):
    def __init__(self, reason: str, message: str) -> None:
        super().__init__(reason, message)
        self.reason = reason
        self.message = message


def is_empty(raw: Any) -> bool:
    """None, blank strings and empty lists count as "not filled"."""
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    return isinstance(raw, (list, tuple)) and len(raw) == 0


def coerce(spec: FieldSpec, raw: Any) -> Any:
    """The clean value of a filled ``raw`` for ``spec``; raises ``InvalidValue``."""
    return _COERCERS[spec.kind](spec, raw)


def _wrong_type(spec: FieldSpec, expected: str) -> InvalidValue:
    return InvalidValue("wrong_type", f"{spec.label}应为{expected}")


def _text(spec: FieldSpec, raw: Any) -> str:
    if not isinstance(raw, str):
        raise _wrong_type(spec, "文字")
    value = raw.replace("\r\n", "\n").replace("\r", "\n").strip()
    if "\x00" in value:  # PostgreSQL stores no NUL in text or JSON
        raise InvalidValue("nul_character", f"{spec.label}含有不允许的空字符")
    if spec.kind == "text" and "\n" in value:
        raise InvalidValue("multiline", f"{spec.label}只能填写一行")
    limit = spec.effective_max_length()
    if limit is not None and len(value) > limit:
        raise InvalidValue("too_long", f"{spec.label}不得超过{limit}个字")
    return value


def _date(spec: FieldSpec, raw: Any) -> str:
    if isinstance(raw, dt.datetime):
        raise _wrong_type(spec, "日期（年-月-日）")
    if isinstance(raw, dt.date):
        return raw.isoformat()
    if not isinstance(raw, str):
        raise _wrong_type(spec, "日期（年-月-日）")
    text = raw.strip()
    try:
        if not _DATE.match(text):
            raise ValueError(text)
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise InvalidValue("invalid_date", f"{spec.label}不是有效日期，应为“2026-03-02”格式") from None


def _datetime(spec: FieldSpec, raw: Any) -> str:
    if isinstance(raw, dt.datetime):
        moment = raw
    elif isinstance(raw, str):
        text = raw.strip()
        match = _DATETIME.match(text)
        try:
            if match is None:
                raise ValueError(text)
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            raise InvalidValue(
                "invalid_datetime", f"{spec.label}不是有效时间，应为“2026-03-02T09:30:00+08:00”格式"
            ) from None
    else:
        raise _wrong_type(spec, "带时区的时间")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidValue("missing_offset", f"{spec.label}须注明时区（如 +08:00）")
    return moment.isoformat()


def _integer(spec: FieldSpec, raw: Any) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise _wrong_type(spec, "整数")
    if spec.min_value is not None and raw < spec.min_value:
        raise InvalidValue("too_small", f"{spec.label}不得小于{spec.min_value}")
    return raw


def _amount(spec: FieldSpec, raw: Any) -> str:
    if isinstance(raw, Decimal):
        number = raw
    elif isinstance(raw, str):
        text = raw.strip()
        if text.startswith("-"):
            raise InvalidValue("negative_amount", f"{spec.label}不得为负数")
        if not _AMOUNT.match(text):
            raise InvalidValue("invalid_amount", f"{spec.label}应为金额，如“5000.00”")
        number = Decimal(text)
    else:
        raise _wrong_type(spec, "字符串形式的金额（如“5000.00”），不接受浮点数")
    return _format_amount(spec, number)


def _format_amount(spec: FieldSpec, number: Decimal) -> str:
    sign, digits, exponent = number.as_tuple()
    if not isinstance(exponent, int):  # NaN or infinity
        raise InvalidValue("invalid_amount", f"{spec.label}应为金额，如“5000.00”")
    if sign and number != 0:
        raise InvalidValue("negative_amount", f"{spec.label}不得为负数")
    if exponent < -2:
        raise InvalidValue("too_many_decimals", f"{spec.label}最多保留两位小数")
    if len(digits) + exponent > MAX_AMOUNT_DIGITS:
        raise InvalidValue("invalid_amount", f"{spec.label}数额过大")
    return f"{abs(number).quantize(Decimal('0.01')):.2f}"


def _choice(spec: FieldSpec, raw: Any) -> str:
    if not isinstance(raw, str):
        raise _wrong_type(spec, "选项值")
    if raw not in spec.choice_values:
        raise InvalidValue("invalid_choice", f"{spec.label}的选项“{raw}”无效")
    return raw


def _boolean(spec: FieldSpec, raw: Any) -> bool:
    if not isinstance(raw, bool):
        raise _wrong_type(spec, "是或否")
    return raw


def _list(spec: FieldSpec, raw: Any) -> list[str]:
    if not isinstance(raw, (list, tuple)):
        raise _wrong_type(spec, "列表")
    items: list[str] = []
    limit = spec.effective_max_length()
    for item in raw:
        if not isinstance(item, str):
            raise _wrong_type(spec, "文字列表")
        value = item.strip()
        if "\x00" in value:
            raise InvalidValue("nul_character", f"{spec.label}含有不允许的空字符")
        if not value or "\n" in value:
            raise InvalidValue("invalid_item", f"{spec.label}的每一项须为非空的一行文字")
        if limit is not None and len(value) > limit:
            raise InvalidValue("too_long", f"{spec.label}的每一项不得超过{limit}个字")
        if spec.choices and value not in spec.choice_values:
            raise InvalidValue("invalid_choice", f"{spec.label}的选项“{value}”无效")
        if spec.choices and value in items:
            raise InvalidValue("duplicate_item", f"{spec.label}的选项“{value}”重复")
        items.append(value)
    return _check_count(spec, items)


def _check_count(spec: FieldSpec, items: list[str]) -> list[str]:
    if len(items) < spec.min_items:
        raise InvalidValue("too_few_items", f"{spec.label}至少应填写{spec.min_items}项")
    most = spec.effective_max_items()
    if most is not None and len(items) > most:
        raise InvalidValue("too_many_items", f"{spec.label}最多填写{most}项")
    return items


_COERCERS: dict[str, Callable[[FieldSpec, Any], Any]] = {
    "text": _text,
    "longtext": _text,
    "date": _date,
    "datetime": _datetime,
    "integer": _integer,
    "amount": _amount,
    "choice": _choice,
    "boolean": _boolean,
    "list": _list,
}
