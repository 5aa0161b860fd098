"""Archive a closed case the only way there is: the 立卷人 and a second archivist sign its case file."""

from __future__ import annotations

from liuhen.archive import services
from liuhen.archive.models import CaseFile
from liuhen.cases.models import Case
from tests.factories import make_user


def archive_case(case: Case) -> CaseFile:
    """Sign ``case`` (closed, with at least one document or recording) off through its case file, by two
    archivists made for it; the sign-off moves it to 归档."""
    compiler = make_user(case.agency, ["archivist"], name="立卷人")
    checker = make_user(case.agency, ["archivist"], name="检查人")
    services.case_file_compile(case=case, by=compiler)
    return services.case_file_sign(case=case, by=checker)
