"""The demo's publications: per agency with two decisions or more, one published and the rest due."""

from __future__ import annotations

import pytest

from liuhen.accounts.models import Agency, User
from liuhen.demo.load import load_demo
from liuhen.demo.publication import demo_publication
from liuhen.publication.models import Publication, PublicationClock


@pytest.mark.django_db
def test_given_the_demo_then_one_decision_published_and_one_due(settings):
    """GIVEN the demo loaded WHEN demo_publication runs for each agency (twice) THEN every agency with
    two decisions or more has exactly one published and the others open; nothing is added twice."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_demo()
    for _ in range(2):
        for agency in Agency.objects.filter(kind="enforcement"):
            people = {u.username.rsplit("_", 1)[-1]: u for u in User.objects.filter(agency=agency)}
            demo_publication(agency, people)
    counts = {}
    for agency in Agency.objects.filter(kind="enforcement"):
        rows = PublicationClock.objects.filter(agency=agency)
        counts[agency.code] = (rows.count(), rows.filter(open=False).count())
    assert any(total >= 2 for total, _ in counts.values())
    for total, published in counts.values():
        assert published == (1 if total >= 2 else 0)
    assert Publication.objects.count() == sum(1 for t, _ in counts.values() if t >= 2)
