"""Bad input never answers 500: each kind the trust-boundaries probe found is a 4xx in the one error shape
``{"error", "message", "errors": [{"field", "reason", "message"}]}``, on SQLite and PostgreSQL alike.

Where a kind can reach many operations (an id beyond 64 bits, a NUL character) the test walks the
OpenAPI, so a new operation is covered the day it is added.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.test import Client

from liuhen.accounts.services import token_issue
from liuhen.api.http_range import parse_range
from liuhen.api.router import api
from liuhen.catalogue import example_fields
from tests.factories import make_agency, make_case, make_document, make_party, make_user

pytestmark = pytest.mark.django_db

TOO_BIG = 2**63  # one past the largest 64-bit id
OPENAPI: dict[str, Any] = api.get_openapi_schema()
OPERATIONS = [
    (method.upper(), path, spec)
    for path, methods in OPENAPI["paths"].items()
    for method, spec in methods.items()
    if method in ("get", "post", "put", "patch", "delete")
]


@pytest.fixture
def officer():
    return make_user(make_agency(), ["officer", "handler"], name="张伟")


@pytest.fixture
def auth(officer) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=officer)}"}


def _error(response, status: int) -> dict[str, str]:
    """Assert ``status`` and the one error shape; return ``{field: reason}``."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    body = response.json()
    assert set(body) == {"error", "message", "errors"}, body
    assert all(set(e) == {"field", "reason", "message"} for e in body["errors"]), body
    return {e["field"]: e["reason"] for e in body["errors"]}


def _call(client: Client, method: str, path: str, auth: dict[str, str], **kwargs):
    return getattr(client, method.lower())(path, content_type="application/json", **auth, **kwargs)


def _int_path_params(spec: dict) -> list[str]:
    return [
        p["name"]
        for p in spec.get("parameters", [])
        if p["in"] == "path" and p["schema"].get("type") == "integer"
    ]


ID_PATHS = [(m, p, name) for m, p, spec in OPERATIONS for name in _int_path_params(spec)]


# --- integers beyond 64 bits and digits that are not ASCII ----------------------------------------------


@pytest.mark.parametrize(("method", "path", "name"), ID_PATHS, ids=[f"{m} {p} {n}" for m, p, n in ID_PATHS])
@pytest.mark.parametrize("value", [str(TOO_BIG), "١", "²", "below"])
def test_given_an_id_path_parameter_out_of_range_or_in_other_digits_when_called_then_422_naming_it(
    client, auth, method, path, name, value
):
    """GIVEN any operation with an integer path id WHEN it is 2⁶³, an Arabic-Indic or superscript digit
    or below its minimum THEN 422 naming the parameter — never the database's overflow."""
    if value == "below":
        spec = next(s for m, p, s in OPERATIONS if (m, p) == (method, path))
        param = next(p for p in spec["parameters"] if p["name"] == name)
        value = str(param["schema"]["minimum"] - 1)
    url = re.sub(r"\{(\w+)\}", lambda m: value if m.group(1) == name else "1", path)
    extra = {"data": "{}"} if method == "POST" else {}
    assert _error(_call(client, method, url, auth, **extra), 422).get(name)


def test_every_integer_id_path_parameter_is_bounded_in_the_openapi():
    """GIVEN the OpenAPI WHEN its integer path parameters are read THEN each is 1…2⁶³−1 or 0…2⁶³−1."""
    assert ID_PATHS, "the walk found no id paths"
    for _method, _path, spec in OPERATIONS:
        for param in spec.get("parameters", []):
            if param["schema"].get("type") == "integer":
                assert param["schema"].get("maximum") is not None, (_path, param)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=9223372036854775808", "limit"),
        ("limit=0", "limit"),
        ("limit=100000", "limit"),
        ("offset=9223372036854775808", "offset"),
        ("offset=-1", "offset"),
        ("handler_id=9223372036854775808", "handler_id"),
        ("handler_id=%C2%B2", "handler_id"),  # ²
        ("year=%D9%A2%D9%A0%D9%A2%D9%A4", "year"),  # ٢٠٢٤
    ],
)
def test_given_case_list_query_numbers_out_of_range_when_listing_then_422_naming_them(
    client, auth, query, field
):
    """GIVEN /api/cases with limit/offset/handler_id/year out of range or in non-ASCII digits
    WHEN listed THEN 422 naming the parameter."""
    assert field in _error(client.get(f"/api/cases?{query}", **auth), 422)


def test_given_a_huge_offset_within_range_when_listing_then_an_empty_page(client, auth, officer):
    """GIVEN one case WHEN listed from offset 2⁶³−1 THEN 200 with no items and the count."""
    make_case(officer)
    response = client.get(f"/api/cases?offset={TOO_BIG - 1}&limit=1000", **auth)
    assert response.status_code == 200, response.json()
    assert response.json() == {"items": [], "count": 1}


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        (
            "/api/cases",
            {"procedure": "general", "initiation_kind": "ex_officio", "cause": "x", "party_ids": [TOO_BIG]},
            "party_ids",
        ),
        (
            "/api/cases",
            {"procedure": "general", "initiation_kind": "ex_officio", "cause": "x", "handler_id": TOO_BIG},
            "handler_id",
        ),
        ("/api/devices/1/events", {"kind": "handed_out", "holder_id": TOO_BIG}, "holder_id"),
        ("/api/devices/1/events", {"kind": "checked", "free_storage_mb": TOO_BIG}, "free_storage_mb"),
        ("/api/media/1/assignments", {"case_id": TOO_BIG}, "case_id"),
        ("/api/media/1/assignments", {"case_id": 1, "linked_document_ids": [TOO_BIG]}, "linked_document_ids"),
    ],
)
def test_given_a_body_id_beyond_64_bits_when_posted_then_422_naming_it(client, auth, path, body, field):
    """GIVEN a JSON body whose id is 2⁶³ WHEN posted THEN 422 naming that field (list items by position)."""
    fields = _error(_call(client, "post", path, auth, data=body), 422)
    assert any(f == field or f.startswith(f"{field}.") for f in fields), fields


# --- the multipart A/V upload ---------------------------------------------------------------------------


def _upload(client, auth, case, **form):
    data = {"kind": "video", "title": "现场检查录像", **form}
    data.setdefault("file", SimpleUploadedFile("clip.mp4", b"\x00" * 1024, content_type="video/mp4"))
    return client.post(f"/api/cases/{case.pk}/media", data=data, **auth)


@pytest.mark.parametrize("token", ["١", "²", "١٢", str(TOO_BIG), "0", "-1", "1.0"])
def test_given_linked_document_ids_not_ascii_ids_when_uploading_then_422_and_nothing_linked(
    client, auth, officer, token
):
    """GIVEN a case with document 1 WHEN linked_document_ids is ``١`` (which ``int`` reads as 1), ``²``
    (which ``isdigit`` accepts and ``int`` refuses), 2⁶³, 0 … THEN 422 naming the item."""
    case = make_case(officer)
    document = make_document(case, officer)
    fields = _error(_upload(client, auth, case, linked_document_ids=f"{document.pk},{token}"), 422)
    assert fields == {"linked_document_ids[1]": "invalid"}


def test_given_a_multipart_body_with_a_broken_boundary_when_uploading_then_400_in_the_error_shape(
    client, auth, officer
):
    """GIVEN a multipart POST whose boundary is invalid WHEN sent THEN 400 malformed_multipart, no 500."""
    case = make_case(officer)
    for content_type in (
        "multipart/form-data; boundary=",
        "multipart/form-data",
        "multipart/form-data; boundary=a b\x7f",
    ):
        response = client.post(
            f"/api/cases/{case.pk}/media", data=b"--x\r\n\r\n", content_type=content_type, **auth
        )
        assert "body" in _error(response, 400), content_type


def test_given_captured_start_without_a_time_zone_when_uploading_then_422_naming_it(client, auth, officer):
    """GIVEN a naive captured_start and captured_end WHEN uploading THEN 422 naming both, 须带时区."""
    case = make_case(officer)
    response = _upload(
        client, auth, case, captured_start="2026-03-02T09:30:00", captured_end="2026-03-02T10:00"
    )
    assert _error(response, 422) == {
        "captured_start": "timezone_required",
        "captured_end": "timezone_required",
    }
    assert "须带时区" in response.json()["message"]


def test_given_a_file_name_with_nul_when_uploading_then_no_nul_is_stored(client, auth, officer):
    """GIVEN an uploaded file whose name holds a NUL WHEN uploading THEN 201 with the NUL gone (Django's
    multipart parser drops it; the input rule would answer 422 if it ever came through)."""
    case = make_case(officer)
    clip = SimpleUploadedFile("clip\x00.mp4", b"\x01" * 64, content_type="video/mp4")
    response = _upload(client, auth, case, file=clip)
    assert response.status_code == 201, response.json()
    assert response.json()["original_filename"] == "clip.mp4"


# --- datetimes without a time zone ----------------------------------------------------------------------


def test_given_a_naive_signed_at_when_signing_then_422_naming_it(client, auth, officer):
    """GIVEN a document WHEN signed with signed_at lacking a zone THEN 422 signed_at timezone_required;
    with a zone THEN 201."""
    document = make_document(make_case(officer), officer)
    body = {"signer_role": "party", "signer_name": "王某某", "method": "handwritten_scan"}
    naive = _call(
        client,
        "post",
        f"/api/documents/{document.pk}/signatures",
        auth,
        data={**body, "signed_at": "2026-03-02T09:30:00"},
    )
    assert _error(naive, 422) == {"signed_at": "timezone_required"}
    aware = _call(
        client,
        "post",
        f"/api/documents/{document.pk}/signatures",
        auth,
        data={**body, "signed_at": "2026-03-02T09:30:00+08:00"},
    )
    assert aware.status_code == 201, aware.json()


@pytest.mark.parametrize("param", ["since", "until"])
def test_given_a_naive_timeliness_bound_when_reporting_then_422_naming_it(client, auth, param):
    """GIVEN /api/evidence/timeliness WHEN since/until has no zone THEN 422 naming it."""
    assert _error(client.get(f"/api/evidence/timeliness?{param}=2026-03-02T09:30:00", **auth), 422) == {
        param: "timezone_required"
    }


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("0196-12-01T06:41:10.57-19:20", "timezone_out_of_range"),  # PostgreSQL: displacement out of range
        ("2026-03-02T09:30:00+15:00", "timezone_out_of_range"),
        ("0001-01-01T00:00:00+01:00", "out_of_range"),  # before year 1 in UTC (SQLite: OverflowError)
        ("9999-12-31T23:59:59-01:00", "out_of_range"),
    ],
)
def test_given_a_datetime_no_database_stores_when_reporting_then_422_naming_it(client, auth, value, reason):
    """GIVEN /api/evidence/timeliness WHEN since has an offset beyond −12:00…+14:00 or falls outside
    years 1–9999 in UTC THEN 422 naming it (a fuzzer found the first as a PostgreSQL 500)."""
    response = client.get("/api/evidence/timeliness", {"since": value}, **auth)
    assert _error(response, 422) == {"since": reason}


def test_given_a_naive_interruption_time_when_recorded_then_422_naming_it(client, auth, officer):
    """GIVEN a case WHEN an interruption is recorded with naive times THEN 422 naming each."""
    case = make_case(officer)
    body = {
        "reason": "battery",
        "interrupted_at": "2026-03-02T09:30:00",
        "resumed_at": "2026-03-02T09:40:00Z",
    }
    assert _error(_call(client, "post", f"/api/cases/{case.pk}/interruptions", auth, data=body), 422) == {
        "interrupted_at": "timezone_required"
    }


# --- NUL characters (PostgreSQL cannot store them) --------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/parties", {"kind": "person", "name": "王\x00某"}, "name"),
        (
            "/api/cases",
            {"procedure": "general", "initiation_kind": "ex_officio", "cause": "占道\x00经营"},
            "cause",
        ),
        ("/api/devices", {"number": "DSJ\x00-1"}, "number"),
    ],
)
def test_given_a_nul_in_body_text_when_posted_then_422_naming_the_field(client, auth, path, body, field):
    """GIVEN a JSON body with a NUL in a text field WHEN posted THEN 422 nul_character naming it."""
    assert _error(_call(client, "post", path, auth, data=body), 422) == {field: "nul_character"}


def test_given_a_nul_in_a_document_field_or_an_amendment_when_posted_then_422_naming_it(
    client, auth, officer
):
    """GIVEN a case and a document WHEN a document is created or amended with a NUL in a field (or in an
    amendment's field name) THEN 422 naming ``fields.<name>`` / ``changes.<name>`` / ``changes``."""
    case = make_case(officer)
    fields = example_fields("inquiry_record")
    name = next(k for k, v in fields.items() if isinstance(v, str))
    create = {"doc_type": "inquiry_record", "fields": {**fields, name: "a\x00b"}}
    assert _error(_call(client, "post", f"/api/cases/{case.pk}/documents", auth, data=create), 422) == {
        f"fields.{name}": "nul_character"
    }
    document = make_document(case, officer)
    url = f"/api/documents/{document.pk}/amendments"
    amend = {"changes": {name: "x\x00"}, "reason": "笔误"}
    assert _error(_call(client, "post", url, auth, data=amend), 422) == {f"changes.{name}": "nul_character"}
    amend = {"changes": {"a\x00": "x"}, "reason": "笔误"}
    assert _error(_call(client, "post", url, auth, data=amend), 422) == {"changes": "nul_character"}


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/cases?q=a%00b", "q"),
        ("/api/cases?stage=%00", "stage"),
        ("/api/devices?number=DSJ%00", "number"),
        ("/api/compliance/overview?agency=a%00", "agency"),
        ("/api/document-types/a%00b", "code"),
        ("/api/media/exists?sha256=%00", "sha256"),
    ],
)
def test_given_a_nul_in_a_query_or_path_when_read_then_422_naming_it(client, auth, url, field):
    """GIVEN a NUL in a query or path parameter WHEN read THEN 422 nul_character naming it."""
    assert _error(client.get(url, **auth), 422) == {field: "nul_character"}


def test_given_a_nul_in_a_multipart_form_field_when_uploading_then_422_naming_it(client, auth, officer):
    """GIVEN a multipart upload with a NUL in its title WHEN sent THEN 422 naming title."""
    case = make_case(officer)
    assert _error(_upload(client, auth, case, title="录像\x00"), 422) == {"title": "nul_character"}


# --- bearer tokens ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("header", ["Bearer lh_not-a-token", "Bearer ", "bearer x y"])
def test_given_an_invalid_bearer_token_when_posting_then_401_not_a_csrf_403(header):
    """GIVEN an invalid bearer token (and a client that enforces CSRF) WHEN POSTing or GETting
    THEN 401 unauthenticated in the error shape — not 403 "CSRF check failed"."""
    client = Client(enforce_csrf_checks=True)
    post = client.post(
        "/api/parties",
        data={"kind": "person", "name": "王某某"},
        content_type="application/json",
        HTTP_AUTHORIZATION=header,
    )
    assert _error(post, 401) == {} and post.json()["error"] == "unauthenticated"
    assert _error(client.get("/api/cases", HTTP_AUTHORIZATION=header), 401) == {}


def test_given_a_bad_bearer_token_and_a_valid_session_when_posting_then_the_token_decides(officer):
    """GIVEN a logged-in browser session WHEN a request also presents a bad bearer token THEN 401:
    the token alone is judged; without the header the session still works (and still needs CSRF)."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    assert client.get("/api/cases", HTTP_AUTHORIZATION="Bearer nope").status_code == 401
    assert client.get("/api/cases").status_code == 200
    no_csrf = client.post(
        "/api/parties", data={"kind": "person", "name": "王某某"}, content_type="application/json"
    )
    assert no_csrf.status_code == 403


# --- a full disk ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "exc",
    [OperationalError("database or disk is full"), OSError(28, "No space left on device")],
    ids=["sqlite-full", "enospc"],
)
def test_given_a_full_disk_when_writing_then_507_in_the_error_shape(client, auth, monkeypatch, exc):
    """GIVEN the database or the file system is full WHEN an API write runs THEN 507 insufficient_storage
    (nothing saved), not a 500."""

    def full(**_kwargs):
        raise exc

    monkeypatch.setattr("liuhen.cases.services.party_create", full)
    response = _call(client, "post", "/api/parties", auth, data={"kind": "person", "name": "王某某"})
    _error(response, 507)
    assert response.json()["error"] == "insufficient_storage"


def test_given_the_party_list_after_bad_input_then_reads_still_work(client, auth, officer):
    """GIVEN a rejected NUL write WHEN the same client reads THEN 200 (no broken transaction left)."""
    make_party(officer)
    _call(client, "post", "/api/parties", auth, data={"kind": "person", "name": "\x00"})
    assert client.get("/api/parties", **auth).status_code == 200


# --- HTTP Range and document patterns: ASCII digits only ------------------------------------------------


@pytest.mark.parametrize("header", ["bytes=١-", "bytes=0-١", "bytes=-²", "bytes=１-２"])
def test_given_a_range_in_other_digits_when_parsed_then_ignored_as_the_whole_file(header):
    """GIVEN a Range header with non-ASCII digits WHEN parsed THEN it is not a range (whole file)."""
    assert parse_range(header, 100) is None


def test_given_a_document_date_in_arabic_indic_digits_when_created_then_422(client, auth, officer):
    """GIVEN a catalogue date field WHEN given ``٢٠٢٦-٠٣-٠٢`` THEN 422 naming it (the pattern is ASCII)."""
    case = make_case(officer)
    doc_type, name = _a_date_field()
    fields = {**example_fields(doc_type), name: "٢٠٢٦-٠٣-٠٢"}
    response = _call(
        client, "post", f"/api/cases/{case.pk}/documents", auth, data={"doc_type": doc_type, "fields": fields}
    )
    assert f"fields.{name}" in _error(response, 422)


def _a_date_field() -> tuple[str, str]:
    from liuhen.catalogue import CATALOGUE

    for code, doc in CATALOGUE.items():
        for spec in doc.fields:
            if spec.kind == "date":
                return code, spec.name
    raise AssertionError("no date field in the catalogue")


# --- the OpenAPI declares what the operations answer -------------------------------------------------------


def test_every_operation_declares_its_error_responses_in_the_one_shape():
    """GIVEN the OpenAPI WHEN each operation is read THEN an authenticated one declares 401, one with
    parameters or a body declares 422, one with a path id declares 404, a write declares 400, 403, 409,
    413 and 507 — and every 4xx/5xx is the ErrorOut schema."""
    for method, path, spec in OPERATIONS:
        declared = {str(status) for status in spec["responses"]}
        where = f"{method} {path}"
        if spec.get("security"):
            assert "401" in declared, where
        if spec.get("parameters") or spec.get("requestBody"):
            assert "422" in declared, where
        if _int_path_params(spec):
            assert "404" in declared, where
        if method == "POST":
            assert {"400", "403", "409", "413", "507"} <= declared, where
        for status, response in spec["responses"].items():
            if int(status) >= 400 and int(status) != 416:
                schema = response["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorOut"}, (where, status)
