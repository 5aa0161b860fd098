"""The demo's spot check: announced, drawn, partly judged, one rectification with the handler."""

from __future__ import annotations

import pytest

from liuhen.accounts.models import Agency, User
from liuhen.demo.load import load_demo
from liuhen.demo.spotchecks import demo_spotchecks
from liuhen.spotchecks.models import Rectification, SpotCheck, SpotCheckJudgement, SpotCheckSample
from liuhen.spotchecks.verify import verify_draw

pytestmark = pytest.mark.django_db


def test_demo_spot_check_in_longjiang():
    """GIVEN the demo loaded WHEN the spot-check demo runs for every agency THEN 龙江 has one check,
    drawn (and recomputable), judged in part, with a rectification to the sampled case's handler;
    the other agencies have none, and running it again adds nothing."""
    load_demo()
    for agency in Agency.objects.filter(kind=Agency.Kind.ENFORCEMENT):
        people = {u.username.rsplit("_", 1)[-1]: u for u in User.objects.filter(agency=agency)}
        demo_spotchecks(agency, people)
        demo_spotchecks(agency, people)
    checks = list(SpotCheck.objects.all())
    assert [c.agency.code for c in checks] == ["longjiang-cg"]
    check = checks[0]
    assert SpotCheckSample.objects.filter(check_ref=check).count() >= 1
    assert verify_draw(check).ok
    failed = SpotCheckJudgement.objects.filter(sample__check_ref=check, verdict="fail")
    assert failed.filter(item_id="signatures-complete", overridden=False).exists()
    assert all(j.remark for j in failed)
    rect = Rectification.objects.get(check_ref=check)
    assert rect.addressee_user_id == rect.sample.case.handler_id
