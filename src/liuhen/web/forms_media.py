"""The case page's 关联文书 form on a recording: tie footage to documents after it was uploaded."""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from django import forms

from liuhen.web.forms import Form


class MediaDocumentsForm(Form):
    document_ids = forms.TypedMultipleChoiceField(
        label="关联文书（同一环节）",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少选择一份文书"},
    )
    reason = forms.CharField(label="说明", required=False, max_length=1000)

    def __init__(self, *args, documents: Iterable[tuple[int, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["document_ids"]).choices = list(documents)
