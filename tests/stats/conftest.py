"""Fixtures of the statistics tests (the API caller of the compliance tests)."""

from tests.compliance.conftest import api_as  # noqa: F401
