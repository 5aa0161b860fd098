"""The password policy (``AUTH_PASSWORD_VALIDATORS``), with its reasons in Chinese.

Django's own messages are not all translated (the length rule stays English) and name model fields by
their English verbose names, so each rule Django reports is turned into a sentence of ours here.
"""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import translation

from liuhen.accounts.models import User
from liuhen.core.errors import invalid

_REASONS = {
    "password_too_similar": "与用户名或姓名过于相似",
    "password_too_common": "是常见密码，容易被猜中",
    "password_entirely_numeric": "不能全是数字",
}


def password_check(password: str, *, username: str, full_name: str = "") -> None:
    """Raise ``invalid("password", "weak", …)`` naming every rule of the policy the password breaks."""
    try:
        validate_password(password, User(username=username, full_name=full_name))
    except ValidationError as exc:
        reasons = list(dict.fromkeys(_reason(error) for error in exc.error_list))
        raise invalid("password", "weak", "密码不符合要求：" + "；".join(reasons)) from None


def _reason(error: ValidationError) -> str:
    if error.code == "password_too_short":
        return f"至少 {(error.params or {}).get('min_length', '')} 位"
    if error.code in _REASONS:
        return _REASONS[error.code]
    with translation.override("zh-hans"):  # a validator added later: Django's own (translated) words
        return " ".join(error.messages)
