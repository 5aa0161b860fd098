"""validate_fields: required, types, choices, dates, amounts, lengths, variants and cross-field checks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from liuhen.catalogue import errors_by_field, example_fields, get_type, validate_fields
from liuhen.catalogue.catalogue import CATALOGUE


def _errors(code, data):
    _, errors = validate_fields(get_type(code), data)
    return {(e.field, e.reason) for e in errors}


def _with(code, variant=None, **changes):
    data = example_fields(code, variant=variant)
    for key, value in changes.items():
        if value is _DROP:
            data.pop(key, None)
        else:
            data[key] = value
    return data


_DROP = object()


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_given_each_required_field_missing_when_validated_then_required_error(code):
    """GIVEN an example with one required base field removed WHEN validated THEN exactly that field is 'required'."""
    doc_type = get_type(code)
    for spec in doc_type.fields:
        if not spec.required:
            continue
        if spec.name == doc_type.variant_field:
            continue
        reasons = _errors(code, _with(code, **{spec.name: _DROP}))
        assert (spec.name, "required") in reasons, spec.name


def test_given_blank_values_when_validated_then_treated_as_missing():
    """GIVEN whitespace text, None and an empty list for required fields WHEN validated THEN 'required'."""
    reasons = _errors(
        "inquiry_record", _with("inquiry_record", place="   ", recorder_name=None, officer_names=[])
    )
    assert {("place", "required"), ("recorder_name", "required"), ("officer_names", "required")} <= reasons


def test_given_a_required_error_when_read_then_it_has_field_reason_and_chinese_message():
    """GIVEN a missing 询问开始时间 WHEN validated THEN the error dict names field, reason and a Chinese message."""
    _, errors = validate_fields(get_type("inquiry_record"), _with("inquiry_record", inquiry_started_at=_DROP))
    assert errors[0].as_dict() == {
        "field": "inquiry_started_at",
        "reason": "required",
        "message": "询问开始时间为必填项",
    }
    assert errors_by_field(errors) == {"inquiry_started_at": "询问开始时间为必填项"}


def test_given_an_unknown_field_when_validated_then_unknown_field_error():
    """GIVEN a key the form does not have WHEN validated THEN 'unknown_field' and the key is not in clean."""
    clean, errors = validate_fields(
        get_type("inquiry_record"), _with("inquiry_record", favourite_colour="红")
    )
    assert [(e.field, e.reason) for e in errors] == [("favourite_colour", "unknown_field")]
    assert "favourite_colour" not in clean


def test_given_a_non_mapping_when_validated_then_a_single_non_field_error():
    """GIVEN a list instead of an object WHEN validated THEN one '__all__' error."""
    clean, errors = validate_fields(get_type("inquiry_record"), ["not", "a", "dict"])  # type: ignore[arg-type]
    assert clean == {} and [(e.field, e.reason) for e in errors] == [("__all__", "not_an_object")]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("officer_count", "2"),
        ("officer_count", True),
        ("officer_count", 2.0),
        ("certificates_shown", "true"),
        ("certificates_shown", 1),
        ("place", 42),
        ("officer_names", "张伟、李娜"),
        ("officer_names", ["张伟", 7]),
        ("inquiry_started_at", 1740880000),
        ("interviewee_role", 1),
    ],
)
def test_given_a_wrong_type_when_validated_then_wrong_type(field, value):
    """GIVEN a value of the wrong JSON type WHEN validated THEN 'wrong_type' on that field."""
    assert (field, "wrong_type") in _errors("inquiry_record", _with("inquiry_record", **{field: value}))


def test_given_bad_choices_when_validated_then_invalid_choice():
    """GIVEN a choice value or multi-choice item not offered WHEN validated THEN 'invalid_choice'."""
    reasons = _errors(
        "inquiry_record", _with("inquiry_record", interviewee_role="boss", rights_notified=["fly"])
    )
    assert {("interviewee_role", "invalid_choice"), ("rights_notified", "invalid_choice")} <= reasons
    dup = _errors("inquiry_record", _with("inquiry_record", rights_notified=["statement", "statement"]))
    assert ("rights_notified", "duplicate_item") in dup


@pytest.mark.parametrize("value", ["2026-02-30", "2026/03/02", "20260302", "昨天", "2026-3-2"])
def test_given_a_bad_date_when_validated_then_invalid_date(value):
    """GIVEN an impossible or non-ISO date WHEN validated THEN 'invalid_date'."""
    assert ("filled_on", "invalid_date") in _errors(
        "initiation_approval", _with("initiation_approval", filled_on=value)
    )


def test_given_date_objects_when_validated_then_iso_strings_come_back():
    """GIVEN datetime.date / aware datetime objects WHEN validated THEN clean holds ISO strings."""
    tz = dt.timezone(dt.timedelta(hours=8))
    data = _with(
        "inquiry_record",
        inquiry_started_at=dt.datetime(2026, 3, 2, 9, 30, tzinfo=tz),
        inquiry_ended_at="2026-03-02T10:15+08:00",
    )
    clean, errors = validate_fields(get_type("inquiry_record"), data)
    assert errors == []
    assert clean["inquiry_started_at"] == "2026-03-02T09:30:00+08:00"
    assert clean["inquiry_ended_at"] == "2026-03-02T10:15:00+08:00"
    approval, _ = validate_fields(
        get_type("initiation_approval"), _with("initiation_approval", filled_on=dt.date(2026, 3, 2))
    )
    assert approval["filled_on"] == "2026-03-02"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("2026-03-02T09:30:00", "missing_offset"),
        ("2026-03-02 09:30:00+08:00", "invalid_datetime"),
        ("2026-03-02", "invalid_datetime"),
        ("2026-03-02T25:00:00+08:00", "invalid_datetime"),
        (dt.datetime(2026, 3, 2, 9, 30), "missing_offset"),
    ],
)
def test_given_a_datetime_without_offset_or_malformed_when_validated_then_rejected(value, reason):
    """GIVEN a naive or malformed datetime WHEN validated THEN 'missing_offset' / 'invalid_datetime'."""
    reasons = _errors("inquiry_record", _with("inquiry_record", inquiry_started_at=value))
    assert ("inquiry_started_at", reason) in reasons


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (150000.0, "wrong_type"),
        (150000, "wrong_type"),
        ("-5.00", "negative_amount"),
        ("5.001", "too_many_decimals"),
        ("5.000", "too_many_decimals"),
        ("5,000", "invalid_amount"),
        ("五千元", "invalid_amount"),
        ("1e5", "invalid_amount"),
        (Decimal("NaN"), "invalid_amount"),
        (Decimal("-1"), "negative_amount"),
        ("1234567890123456", "invalid_amount"),
    ],
)
def test_given_a_bad_amount_when_validated_then_rejected_with_reason(value, reason):
    """GIVEN floats, negatives, >2 decimals or non-numbers as an amount WHEN validated THEN rejected."""
    reasons = _errors("penalty_decision", _with("penalty_decision", fine_amount=value))
    assert ("fine_amount", reason) in reasons


@pytest.mark.parametrize(
    ("value", "clean"), [("5000", "5000.00"), ("5000.5", "5000.50"), (Decimal("7.1"), "7.10"), ("0", "0.00")]
)
def test_given_a_good_amount_when_validated_then_two_decimal_string(value, clean):
    """GIVEN a decimal string or Decimal WHEN validated THEN canonical 'N.NN' string."""
    result, errors = validate_fields(
        get_type("penalty_decision"), _with("penalty_decision", fine_amount=value)
    )
    assert errors == [] and result["fine_amount"] == clean


def test_given_overlong_or_multiline_text_when_validated_then_too_long_or_multiline():
    """GIVEN text over max_length, a newline in a one-line field, an overlong list item WHEN validated THEN rejected."""
    spec = get_type("inquiry_record").get_field("recorder_name")
    reasons = _errors(
        "inquiry_record",
        _with(
            "inquiry_record",
            recorder_name="张" * (spec.max_length + 1),
            place="第一行\n第二行",
            officer_names=["张伟", "李" * 41],
        ),
    )
    assert {("recorder_name", "too_long"), ("place", "multiline"), ("officer_names", "too_long")} <= reasons


def test_given_text_with_surrounding_space_when_validated_then_trimmed():
    """GIVEN padded text and list items WHEN validated THEN clean values are stripped."""
    clean, errors = validate_fields(
        get_type("inquiry_record"),
        _with("inquiry_record", place="  询问室 ", officer_names=[" 张伟", "李娜 "]),
    )
    assert errors == [] and clean["place"] == "询问室" and clean["officer_names"] == ["张伟", "李娜"]


def test_given_integer_below_minimum_and_too_few_items_when_validated_then_rejected():
    """GIVEN 0 officers and a one-officer interruption statement WHEN validated THEN too_small / too_few_items."""
    assert ("officer_count", "too_small") in _errors(
        "inquiry_record", _with("inquiry_record", officer_count=0)
    )
    reasons = _errors("interruption_statement", _with("interruption_statement", officer_names=["张伟"]))
    assert ("officer_names", "too_few_items") in reasons


SERVICE_EXTRAS = {
    "direct": {"signer_name", "signer_relation"},
    "left_at_residence": {"refusal_reason", "refused_on", "witness_names", "av_recorded"},
    "entrusted": {"entrust_kind", "entrust_reason", "entrusted_unit"},
    "mail": {"mail_type", "mail_tracking_no", "postage_receipt_no", "mailed_on"},
    "public_notice": {
        "failed_methods",
        "notice_method",
        "notice_medium",
        "notice_start",
        "notice_end",
        "notice_copy_kept",
        "av_recorded",
    },
}


@pytest.mark.parametrize("method", sorted(SERVICE_EXTRAS))
def test_given_a_service_method_when_its_extra_fields_missing_then_each_is_required(method):
    """GIVEN a 送达回证 with method M but none of M's extra fields WHEN validated THEN each is 'required'."""
    data = example_fields("service_receipt", variant=method)
    for name in get_type("service_receipt").variants[method]:
        data.pop(name.name)
    reasons = _errors("service_receipt", data)
    assert {(name, "required") for name in SERVICE_EXTRAS[method]} <= reasons


def test_given_fields_of_another_method_when_validated_then_not_applicable():
    """GIVEN a direct service carrying a mail tracking number WHEN validated THEN 'not_applicable'."""
    data = _with("service_receipt", variant="direct", mail_tracking_no="1178765432109")
    assert ("mail_tracking_no", "not_applicable") in _errors("service_receipt", data)


def test_given_an_invalid_method_when_validated_then_only_the_method_is_blamed():
    """GIVEN method 'pigeon' WHEN validated THEN 'invalid_choice' on method and no spurious variant errors."""
    reasons = _errors("service_receipt", _with("service_receipt", variant="direct", method="pigeon"))
    assert reasons == {("method", "invalid_choice")}


def test_given_mail_by_ordinary_post_when_validated_then_refused():
    """GIVEN mail service by ordinary letter WHEN validated THEN 'invalid_choice' (only 挂号信/特快专递)."""
    data = _with("service_receipt", variant="mail", mail_type="ordinary")
    assert ("mail_type", "invalid_choice") in _errors("service_receipt", data)


@pytest.mark.parametrize(
    ("code", "variant"),
    [("enforcement_record", v) for v in sorted(get_type("enforcement_record").variants)]
    + [("seizure_decision", v) for v in sorted(get_type("seizure_decision").variants)],
)
def test_given_other_variant_types_when_extras_missing_then_required(code, variant):
    """GIVEN 强制执行记录/查封扣押 with a method but its required extras removed WHEN validated THEN 'required'."""
    doc_type = get_type(code)
    data = example_fields(code, variant=variant)
    required = {spec.name for spec in doc_type.variants[variant] if spec.required}
    for name in required:
        data.pop(name)
    assert {(name, "required") for name in required} <= _errors(code, data)


def test_given_times_in_the_wrong_order_when_validated_then_out_of_order():
    """GIVEN an inquiry ending before it starts WHEN validated THEN 'out_of_order' on the end time."""
    data = _with("inquiry_record", inquiry_ended_at="2026-03-02T09:00:00+08:00")
    assert ("inquiry_ended_at", "out_of_order") in _errors("inquiry_record", data)


def test_given_times_in_different_offsets_when_validated_then_compared_as_instants():
    """GIVEN an end time in UTC that is after the +08:00 start WHEN validated THEN accepted."""
    data = _with("inquiry_record", inquiry_ended_at="2026-03-02T02:15:00+00:00")
    assert _errors("inquiry_record", data) == set()


def test_given_officer_count_and_lists_disagreeing_when_validated_then_mismatch():
    """GIVEN 3 officers counted but 2 named, and 2 names with 1 certificate WHEN validated THEN mismatch errors."""
    assert ("officer_count", "count_mismatch") in _errors(
        "inquiry_record", _with("inquiry_record", officer_count=3)
    )
    record = "rectification_check_record"  # one officer may do it, so the lists' lengths alone disagree
    reasons = _errors(record, _with(record, officer_certificate_nos=["21020019001"]))
    assert ("officer_certificate_nos", "length_mismatch") in reasons


def test_given_conditional_fields_when_condition_holds_then_required():
    """GIVEN an emergency start without its time, a fine without amount, an on-spot collection without
    receipt WHEN validated THEN those fields are 'required'."""
    assert ("emergency_started_at", "required") in _errors(
        "initiation_approval", _with("initiation_approval", emergency_start=True)
    )
    assert ("fine_amount", "required") in _errors(
        "penalty_decision", _with("penalty_decision", fine_amount=_DROP)
    )
    reasons = _errors("summary_decision", _with("summary_decision", on_spot_collection=True))
    assert {("collection_process", "required"), ("fine_receipt_no", "required")} <= reasons


def test_given_the_heads_opinion_typed_by_the_author_when_validated_then_refused_as_the_heads_block():
    """GIVEN a 立案审批表 whose author types the head's opinion and date WHEN validated THEN both are refused:
    the head gives that block under its own login (负责人审批), the form's author never fills it."""
    data = _with("initiation_approval", head_opinion="同意。", head_signed_on="2026-03-03")
    clean, errors = validate_fields(get_type("initiation_approval"), data)
    refused = {e.field: e.message for e in errors if e.reason == "signed_by_other"}
    assert set(refused) == {"head_opinion", "head_signed_on"}
    assert "「负责人审批」" in refused["head_opinion"] and "head_opinion" not in clean


def test_given_a_non_fine_penalty_when_validated_then_amount_not_required():
    """GIVEN a warning-only decision WHEN validated THEN no amount is demanded."""
    data = _with("penalty_decision", penalty_kinds=["warning"], fine_amount=_DROP, payment_deadline=_DROP)
    assert _errors("penalty_decision", data) == set()


def test_given_optional_fields_left_blank_when_validated_then_absent_from_clean():
    """GIVEN an optional field sent as '' WHEN validated THEN no error and it is absent from clean."""
    clean, errors = validate_fields(get_type("inquiry_record"), _with("inquiry_record", interviewee_phone=""))
    assert errors == [] and "interviewee_phone" not in clean


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("place", "现场\x00办公室", "nul_character"),
        ("officer_names", ["张三", "李\x00四"], "nul_character"),
        ("inquiry_started_at", "٢٠٢٦-٠٣-٠٢T09:30:00+08:00", "invalid_datetime"),
    ],
)
def test_given_a_nul_or_non_ascii_digits_when_validated_then_refused_naming_the_field(field, value, reason):
    """GIVEN a NUL byte in text (PostgreSQL stores none) or Arabic-Indic digits in a date-time WHEN an
    inquiry record is validated THEN the field is refused with its reason, never stored or crashed on."""
    data = {**example_fields("inquiry_record"), field: value}
    _, errors = validate_fields(get_type("inquiry_record"), data)
    assert (field, reason) in {(e.field, e.reason) for e in errors}


def test_given_one_officer_where_the_record_needs_two_when_validated_then_refused_in_chinese():
    """GIVEN a 询问笔录 with one officer counted and named WHEN validated THEN 执法人员人数 and the names are
    refused with Chinese messages (the form says 行政执法人员不得少于两人)."""
    data = _with("inquiry_record", officer_count=1, officer_names=["张伟"], officer_certificate_nos=["2102"])
    _, errors = validate_fields(get_type("inquiry_record"), data)
    messages = {e.field: e.message for e in errors}
    assert messages["officer_count"] == "执法人员人数不得小于2"
    assert messages["officer_names"] == "执法人员姓名至少应填写2项"


def test_given_a_future_service_time_when_validated_then_refused_with_beijing_now():
    """GIVEN a 送达回证 whose 送达时间 is an hour after now WHEN validated THEN it is refused, the message
    giving now in Beijing time; the same time a minute before now passes."""
    now = dt.datetime(2026, 3, 5, 2, 0, tzinfo=dt.UTC)
    doc_type = get_type("service_receipt")
    later = _with("service_receipt", served_at="2026-03-05T11:00:00+08:00")
    _, errors = validate_fields(doc_type, later, now=now)
    assert [(e.field, e.reason, e.message) for e in errors] == [
        ("served_at", "in_future", "送达时间不得晚于当前时间（北京时间 2026-03-05 10:00）")
    ]
    earlier = _with("service_receipt", served_at="2026-03-05T09:59:00+08:00")
    assert validate_fields(doc_type, earlier, now=now)[1] == []


def test_given_a_scheduled_hearing_when_validated_then_a_future_time_is_allowed():
    """GIVEN a 听证通知书 (a hearing to come) WHEN its 听证时间 is next year THEN it is accepted."""
    data = _with("hearing_notice", hearing_at="2099-03-05T09:00:00+08:00")
    assert validate_fields(get_type("hearing_notice"), data)[1] == []
