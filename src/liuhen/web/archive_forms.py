"""The forms of the archivist's 补充归档 (a file with its 题名, 责任者, 日期, 文号, reason) and of its approval."""

from __future__ import annotations

from django import forms

from liuhen.web.forms import Form


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class SupplementForm(Form):
    file = forms.FileField(label="文件", help_text="PDF、JPEG、TIFF、MP4、MP3 或 WAV；按文件内容识别格式")
    title = forms.CharField(label="题名", max_length=200)
    responsible = forms.CharField(
        label="责任者", max_length=200, help_text="形成该文件的机关或个人，如 某某区人民法院"
    )
    date = forms.DateField(label="日期", widget=DateInput)
    doc_no = forms.CharField(label="文号", max_length=60, required=False)
    reason = forms.CharField(
        label="补充理由",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="如：判决书于案卷签署后送达",
    )


class SupplementApprovalForm(Form):
    supplement = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    opinion = forms.CharField(label="审批意见", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
