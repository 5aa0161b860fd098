"""Isolation-table rows of governed access (issue #13): merged into ``API`` and ``WEB`` of
:mod:`tests.access.test_isolation`, which they import from (this module is imported at the end of
its tables). The access log: ``access_log.view`` holders get their visible agencies' read entries
(a supervisor those of the agencies it supervises); everyone else a 403."""

from __future__ import annotations

from tests.access.test_isolation import Check

_LOG = ("access_log.view",)

API: dict = {
    ("GET", "/api/access-log"): Check("GET", "/api/access-log", needs=_LOG),
    ("GET", "/api/access-log/anomalies"): Check("GET", "/api/access-log/anomalies", needs=_LOG),
}
WEB: dict = {
    "accesslog:page": [Check("GET", "/access-log/", needs=_LOG, anon="redirect-to-login", web=True)],
}
