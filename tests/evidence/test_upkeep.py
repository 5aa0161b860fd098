"""Upkeep of uploads: hand-offs that failed are retried by the background task, not by the client."""

import hashlib

import pytest

from liuhen.cases.blobs import blob_store
from liuhen.evidence.models import MediaRecord
from liuhen.evidence.tasks import uploads_upkeep_task
from liuhen.storage import StorageFull

pytestmark = pytest.mark.django_db


def test_given_a_finished_upload_whose_hand_off_failed_when_upkeep_runs_then_it_is_recorded_once(
    tus, monkeypatch
):
    """GIVEN all bytes arrived but the hand-off failed (store full) WHEN the upkeep task runs after space
    is freed THEN the media record appears exactly once, with no client action."""
    data = b"upkeep-" * 1000
    url = tus.create(len(data))["Location"]
    store = blob_store()

    def no_space(*args, **kwargs):
        raise StorageFull("no space left")

    with monkeypatch.context() as full:
        full.setattr(store, "put_file", no_space)
        full.setattr(store, "adopt_file", no_space)
        assert tus.patch(url, data, 0).status_code == 507
    result = uploads_upkeep_task.call()
    assert result["finalized"] == 1
    assert MediaRecord.objects.filter(sha256=hashlib.sha256(data).hexdigest()).count() == 1
    assert uploads_upkeep_task.call()["finalized"] == 0
