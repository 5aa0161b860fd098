"""Schemathesis over the API's own OpenAPI, inside the suite: every operation, as an officer and as an
administrator of agency A, with data of two agencies in the database.

Each response must not be a 5xx, must have a status the operation declares, the declared content type,
and a body that matches the declared schema. Path ids are drawn half from the ids that exist (so the
operations do real work, the other agency's included) and half by schemathesis. ``/api/uploads/`` (tus)
is not in the OpenAPI and has its own fuzz test.

Beside the 15 fuzzed examples per operation and role, schemathesis's coverage phase sends each
parameter's boundaries and wrong types (2⁶³, ``null``, unknown fields …): some 18,000 requests, about
75 s of CPU in all (``-n 2`` halves the wall time), hence ``slow``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from liuhen.accounts.services import token_issue
from liuhen.api.router import api
from liuhen.evidence.services.devices import device_register
from liuhen.evidence.services.upload import media_upload
from tests.factories import make_agency, make_case, make_document, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = get_wsgi_application()


@dataclass
class World:
    """Ids of the rows the operations may be pointed at, by path parameter name."""

    ids: dict[str, list[int]] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)


WORLD = World()  # filled by the ``world`` fixture before each operation's examples run


def _media(case, user, title: str):
    return media_upload(
        case=case,
        uploaded_by=user,
        chunks=[bytes(range(256)) * 8],
        content_type="video/mp4",
        original_filename="clip.mp4",
        kind="video",
        title=title,
    )


@pytest.fixture
def _open_connection():
    """Keep the test's database connection across requests, as Django's test client does: the plain WSGI
    handler closes it when a request starts and ends, which on PostgreSQL ends the test's transaction."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def world(_open_connection) -> World:
    """GIVEN two agencies, each with an officer, an administrator, a case with an inquiry record and a
    clip, and a registered device."""
    ids: dict[str, list[int]] = {}
    tokens = {}
    for code in ("a", "b"):
        agency = make_agency(f"agency-{code}")
        officer = make_user(agency, ["officer", "handler"])
        admin = make_user(agency, ["admin"])
        case = make_case(officer)
        document = make_document(case, officer)
        media = _media(case, officer, f"现场录像 {code}")
        device = device_register(by=admin, number=f"DSJ-{code}", kind="body_camera")
        ids.setdefault("case_id", []).append(case.pk)
        ids.setdefault("document_id", []).append(document.pk)
        ids.setdefault("media_id", []).append(media.pk)
        ids.setdefault("device_id", []).append(device.pk)
        if code == "a":
            tokens = {"officer": token_issue(user=officer), "admin": token_issue(user=admin)}
    ids["index"] = [0, 1, 2]
    WORLD.ids, WORLD.tokens = ids, tokens
    return WORLD


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """Half of the time, point each known id parameter at a row that exists."""
    if not path_parameters:
        return st.just(path_parameters)
    known = {name: WORLD.ids[name] for name in path_parameters if WORLD.ids.get(name)}
    if not known:
        return st.just(path_parameters)
    choices = {
        name: st.one_of(st.just(path_parameters[name]), st.sampled_from(v)) for name, v in known.items()
    }
    return st.fixed_dictionaries(choices).map(lambda drawn: {**path_parameters, **drawn})


@pytest.mark.parametrize("role", ["officer", "admin"])
@schema.parametrize()
@settings(
    max_examples=15,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_given_any_input_when_called_then_no_5xx_and_the_response_is_as_declared(case, role, world):
    """GIVEN data of two agencies WHEN schemathesis calls every operation as an officer and an
    administrator THEN no 5xx, and status, content type and body are what the OpenAPI declares."""
    case.call_and_validate(headers={"Authorization": f"Bearer {world.tokens[role]}"}, checks=CHECKS)
