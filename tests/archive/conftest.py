"""Fixtures of the archive's tests."""

from __future__ import annotations

import pytest

from liuhen.archive import services
from tests.archive.test_core_services import closed_case
from tests.factories import make_agency, make_user


@pytest.fixture
def signed(tmp_path):
    """A signed-off case file, its archivist and the head."""
    agency = make_agency()
    officer, head = make_user(agency), make_user(agency, ["head"])
    compiler, checker = make_user(agency, ["archivist"]), make_user(agency, ["archivist"])
    case = closed_case(officer, head)
    services.case_file_compile(case=case, by=compiler)
    case_file = services.case_file_sign(case=case, by=checker)
    return case_file, compiler, head
