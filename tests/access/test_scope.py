"""The in-memory case rule (scope.case_visible) agrees with the queryset rule (scope.cases)."""

import pytest

from liuhen.access import scope
from liuhen.accounts.models import Agency
from liuhen.accounts.roles import Role
from tests.factories import make_agency, make_case, make_user

pytestmark = pytest.mark.django_db


def test_given_every_role_and_case_kind_when_asked_in_memory_and_by_query_then_the_answers_agree():
    """GIVEN two agencies, a justice bureau supervising the first, ordinary and confidential cases, and a
    user of every role (plus the handler of the confidential case and a supervisor) WHEN each asks about
    each case, in memory and through the queryset THEN both say the same for view and for change."""
    home, other = make_agency(), make_agency()
    bureau = Agency.objects.create(code="bureau-x", name="司法局", short_name="司法局", case_prefix="司")
    handler = make_user(home, ["officer", "handler"])
    cases = [
        make_case(handler),
        make_case(handler, confidential=True),
        make_case(make_user(other, ["officer", "handler"])),
    ]
    users = [make_user(home, [role]) for role in Role if role != Role.SUPERVISOR] + [handler]
    supervisor = make_user(bureau, ["supervisor"])
    supervisor.supervised_agencies.add(home)
    users.append(supervisor)

    for user in users:
        for action in ("view", "change"):
            by_query = set(scope.cases(user, action).values_list("pk", flat=True))
            in_memory = {case.pk for case in cases if scope.case_visible(user, case, action)}
            assert in_memory == by_query & {c.pk for c in cases}, (user.roles, action)
