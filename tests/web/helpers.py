"""Helpers of the web tests."""

from __future__ import annotations

import re

from liuhen.catalogue import example_fields, get_type
from liuhen.web import docform


def document_post(code: str, **overrides) -> dict:
    """What the browser posts for the generated form of ``code`` filled with the catalogue's example."""
    doc_type = get_type(code)
    form = docform.form_fields(doc_type, values={**example_fields(code), **overrides})
    data: dict = {"doc_type": code}
    for ff in form.all:
        data[ff.input_name] = (
            [v for v in ff.spec.choice_values if v in ff.selected] if ff.widget == "checkboxes" else ff.value
        )
    return data


def text_of(response) -> str:
    """The visible text, roughly: tags dropped, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def fill_example(page, code: str, names: tuple[str, ...] | None = None) -> None:
    """Type the catalogue's example of ``code`` into the page's generated form (only ``names`` if given;
    blanks with no example, or absent from the form, are left as they are)."""
    form = docform.form_fields(get_type(code), values=example_fields(code))
    for ff in form.all:
        target = f"#docform [name='{ff.input_name}']"
        if (names is not None and ff.spec.name not in names) or not (ff.value or ff.selected):
            continue
        if not page.locator(target).count():
            continue
        if ff.widget == "checkboxes":
            for value in ff.selected:
                page.check(f"{target}[value='{value}']")
        elif ff.widget in ("select", "yesno"):
            page.select_option(target, ff.value)
        else:
            page.fill(target, ff.value)
