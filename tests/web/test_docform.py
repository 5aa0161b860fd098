"""The form generated from the catalogue, and the parsing of what comes back. Pure: no database."""

from __future__ import annotations

import pytest

from liuhen.catalogue import CATALOGUE, example_fields, example_variants, get_type, validate_fields
from liuhen.web import docform


class Posted(dict):
    """A stand-in for Django's QueryDict: lists for checkbox groups, strings otherwise."""

    def get(self, key, default=None):
        value = super().get(key, default)
        return value[-1] if isinstance(value, list) and value else value

    def getlist(self, key):
        value = super().get(key, [])
        return value if isinstance(value, list) else [value]


def as_browser_would_post(doc_type, clean: dict) -> Posted:
    """What a browser posts after showing the generated form filled with ``clean``."""
    form = docform.form_fields(doc_type, values=clean)
    posted = Posted(doc_type=doc_type.code)
    for ff in form.all:
        if ff.widget == "checkboxes":  # in the order the boxes appear on the page
            posted[ff.input_name] = [value for value in ff.spec.choice_values if value in ff.selected]
        else:
            posted[ff.input_name] = ff.value
    return posted


def _examples():
    for code in CATALOGUE:
        variants = example_variants(code) or [None]
        for variant in variants:
            yield code, variant


@pytest.mark.parametrize(("code", "variant"), list(_examples()))
def test_given_a_valid_example_when_shown_in_the_form_and_posted_back_then_the_values_survive(code, variant):
    """GIVEN the catalogue's valid example of a type (each variant) WHEN it is rendered into the generated
    inputs and posted back THEN parsing yields values that validate to the same clean document."""
    doc_type = get_type(code)
    clean, errors = validate_fields(doc_type, example_fields(code, variant=variant))
    assert errors == []
    parsed = docform.parse_submission(doc_type, as_browser_would_post(doc_type, clean), tz="Asia/Shanghai")
    again, errors = validate_fields(doc_type, parsed)
    assert errors == []
    assert docform.changed_values(doc_type, clean, again) == {}


def test_given_an_inquiry_record_when_generated_then_each_kind_gets_its_input_and_required_marks():
    """GIVEN 询问笔录 WHEN its form is generated THEN kinds map to inputs (datetime-local, number, yes/no,
    checkboxes for a multiple choice, one-per-line for a free list) and required/help come from the spec."""
    form = docform.form_fields(get_type("inquiry_record"))
    by_name = {ff.spec.name: ff for ff in form.all}
    assert by_name["inquiry_started_at"].widget == "datetime"
    assert by_name["officer_count"].widget == "officers"  # the picker; names and numbers typed below it
    assert by_name["certificates_shown"].widget == "yesno"
    assert by_name["rights_notified"].widget == "checkboxes"
    assert by_name["officer_names"].widget == "lines"
    assert by_name["qa_content"].widget == "textarea"
    assert by_name["interviewee_role"].widget == "select"
    assert by_name["place"].spec.required and not by_name["interviewee_gender"].spec.required
    assert form.extra == []


def test_given_local_form_values_when_parsed_then_types_and_offset_are_set():
    """GIVEN what a person types (local date-time, digits, 是/否, lines) WHEN parsed THEN the values have the
    catalogue's types: ISO date-time with +08:00, int, bool, list; blanks are left out."""
    posted = Posted(
        f_inquiry_started_at="2026-03-02T09:30",
        f_officer_count="2",
        f_certificates_shown="false",
        f_officer_names="张伟\r\n\r\n 李娜 ",
        f_rights_notified=["statement", "defence"],
        f_interviewee_gender="",
    )
    parsed = docform.parse_submission(get_type("inquiry_record"), posted, tz="Asia/Shanghai")
    assert parsed["inquiry_started_at"] == "2026-03-02T09:30:00+08:00"
    assert parsed["officer_count"] == 2
    assert parsed["certificates_shown"] is False
    assert parsed["officer_names"] == ["张伟", "李娜"]
    assert parsed["rights_notified"] == ["statement", "defence"]
    assert "interviewee_gender" not in parsed


def test_given_text_in_a_number_box_when_parsed_then_the_catalogue_reports_it():
    """GIVEN 'two' typed into 执法人员人数 WHEN parsed and validated THEN the value is passed on as typed and
    the catalogue's Chinese message names the field."""
    doc_type = get_type("inquiry_record")
    parsed = docform.parse_submission(doc_type, Posted(f_officer_count="两人"), tz="Asia/Shanghai")
    _, errors = validate_fields(doc_type, parsed)
    messages = {e.field: e.message for e in errors}
    assert "执法人员人数" in messages["officer_count"]


def test_given_a_variant_choice_when_generated_then_only_that_variants_fields_are_added():
    """GIVEN 送达回证 with 送达方式 = 留置送达 WHEN the form is generated THEN the 留置送达 fields are added
    (and labelled with the variant), and another variant's fields are not."""
    doc_type = get_type("service_receipt")
    left = docform.form_fields(doc_type, values={"method": "left_at_residence"})
    mail = docform.form_fields(doc_type, values={"method": "mail"})
    left_names = {ff.spec.name for ff in left.extra}
    mail_names = {ff.spec.name for ff in mail.extra}
    assert left_names == {s.name for s in doc_type.variants["left_at_residence"]}
    assert mail_names == {s.name for s in doc_type.variants["mail"]}
    assert left_names and left_names != mail_names
    assert all(ff.variant_label == left.variant_label for ff in left.extra)
    assert next(ff for ff in left.base if ff.spec.name == "method").variant_selector


def test_given_a_stored_utc_time_when_shown_then_it_is_local_and_an_unchanged_post_is_no_change():
    """GIVEN a date-time stored with another offset WHEN shown in the form THEN it is shown in Beijing time,
    and posting it back unchanged is not an amendment."""
    doc_type = get_type("inquiry_record")
    clean = {"inquiry_started_at": "2026-03-02T01:30:00+00:00"}
    form = docform.form_fields(doc_type, values=clean)
    shown = next(ff for ff in form.all if ff.spec.name == "inquiry_started_at")
    assert shown.value == "2026-03-02T09:30"
    parsed = docform.parse_submission(doc_type, Posted(f_inquiry_started_at=shown.value), tz="Asia/Shanghai")
    assert docform.changed_values(doc_type, clean, parsed) == {}


def test_given_an_edited_copy_when_compared_then_only_changed_and_cleared_fields_are_changes():
    """GIVEN a document's values and an edited copy WHEN compared THEN the changes are the edited field and
    the cleared one (as None), nothing else."""
    doc_type = get_type("inquiry_record")
    current = {"place": "询问室", "interviewee_phone": "139", "officer_count": 2}
    proposed = {"place": "现场", "officer_count": 2}
    assert docform.changed_values(doc_type, current, proposed) == {"place": "现场", "interviewee_phone": None}
