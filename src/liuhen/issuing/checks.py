"""``liuhen check``: warn the operator when the CJK faces every issued PDF embeds are missing, before the
first officer presses 打印."""

from __future__ import annotations

from typing import Any

from django.core.checks import Warning as CheckWarning
from django.core.checks import register

from liuhen.issuing.render import FontsMissing, compiler


@register()
def cjk_fonts_installed(app_configs: Any = None, **kwargs: Any) -> list[CheckWarning]:
    try:
        compiler()
    except FontsMissing as exc:
        return [CheckWarning(exc.message, hint="apt-get install fonts-noto-cjk", id="issuing.W001")]
    return []
