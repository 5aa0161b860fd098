"""The rows of issue #14 (publication) whose state the services' entries carry: merged into
:data:`liuhen.ledger.integrity.state.TRACKED` and ``STATE_ACTIONS`` like :mod:`.state_access`.

The publication clock (``publication.PublicationClock``) is a working table derived from the documents
and these records (rebuilt by ``liuhen.publication.clock.clock_sync``), so it is not tracked."""

from __future__ import annotations

from liuhen.ledger.integrity.state import Tracked, _cols

TRACKED: tuple[Tracked, ...] = (
    Tracked(
        "publication",
        "publication.Publication",
        _cols("agency_id case_id document_id channel published_on reference note recorded_at recorded_by_id"),
        agency="agency_id",
        case="case_id",
    ),
    Tracked(
        "publication_withdrawal",
        "publication.PublicationWithdrawal",
        _cols("publication_id withdrawn_on reason recorded_at recorded_by_id"),
        agency="publication__agency_id",
        case="publication__case_id",
    ),
)
STATE_ACTIONS: frozenset[str] = frozenset({"publication.recorded", "publication.withdrawn"})
