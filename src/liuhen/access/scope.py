"""Who may see or change which objects: one function per model that a request can reach.

Every selector starts from these querysets (NetBox's ``restrict(user, action)``); no view, endpoint,
command or tile server filters on its own. The rules, all derived from the role table
(:mod:`liuhen.accounts.roles`):

* **Agencies.** Staff see their own agency; a supervisor (justice bureau) also sees the agencies it
  supervises, read-only. ``change`` is only ever granted inside the user's own agency.
* **Cases** need ``case.view``; a confidential case needs ``confidential.view`` unless the user
  handles or opened it.
* **Documents** (and their signatures, refusals, amendments, approvals) are read by role on the cases
  whose records the user works or oversees (:func:`_reads_records_q`: overseers and the archivist all
  of them, everyone else their own unit's unarchived cases and those they handle or opened); a
  confidential document needs ``confidential.view``.
* **A/V** needs ``media.view``: footage on (or linked to) a visible case, or not yet linked and stored
  under a visible agency, is *listed*; confidential footage needs ``confidential.view``. Playing it
  follows the documents' rule (:func:`media_content`); downloading an original is a copy and needs a
  copy grant (issue #13).
* **Grants** (调阅/复制/对外提供, :func:`live_grants`): an approved, unexpired, unrevoked request opens to
  its requester exactly the records it lists (and shows their case's header); every read under it is
  logged with its number. Requests are seen by their requester, those who decide them, the legal unit,
  the head and the bureau's supervisor (:func:`access_requests`); parties' requests by the desk only.
* **Devices** are seen by anyone with ``case.view`` in a visible agency; changed with ``device.manage``.
* **Integrity alerts** carry their agency: ``alert.manage`` holders of that agency (system-wide alerts,
  with no agency, are for every ``alert.manage`` holder).
* **Users**: ``user.manage`` holders see the users of their own agency; everyone sees themself.
* **Units and agency settings**: seen by the agency's people; changed by its ``user.manage`` holders.
* **Ledger entries** are visible exactly when the object they describe is (:func:`entries_visible`).
* **Drafts** (草稿, not records) are working material: their author and the case's handler, holding
  ``document.create``, on a case they may see (:func:`drafts`).

Anything outside a user's scope is reported as not found, never as forbidden, so it does not leak.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from django.db.models import Exists, Model, OuterRef, Q, QuerySet

from liuhen.access.reads import READ_ACTIONS
from liuhen.accounts.models import Agency, OrgUnit, User
from liuhen.accounts.roles import Permission, Role, writes_documents
from liuhen.archive.models import CaseFile, CaseFileCompilation, DiscCopy, IntegrityAlert
from liuhen.cases.models import (
    Amendment,
    ApprovalStep,
    Case,
    Document,
    DocumentDraft,
    Party,
    Signature,
    SignatureMark,
    SignatureRefusal,
    SignedCopy,
    StageTransition,
)
from liuhen.core import clock
from liuhen.core.stages import Stage
from liuhen.disclosure.models import DisclosureRequest
from liuhen.evidence.models import Device, Interruption, MediaAssignment, MediaRecord
from liuhen.grants.models import AccessRequest, AccessRequestItem
from liuhen.issuing.models import IssuedDocument
from liuhen.ledger.models import LedgerEntry

Action = Literal["view", "change"]


def _authenticated(user: object) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def visible_agency_ids(user: User, action: Action = "view") -> list[int]:
    """The agencies whose records ``user`` may see (``view``) or write to (``change``)."""
    if not _authenticated(user):
        return []
    ids = [user.agency_id] if user.agency_id else []
    if action == "view" and user.has_role(Role.SUPERVISOR):
        ids += list(user.supervised_agencies.values_list("pk", flat=True))
    return ids


def _standing_cases_q(user: User, action: Action) -> Q | None:
    """The cases ``user`` sees by their role (``None``: none at all), without any grant."""
    if not _authenticated(user) or not user.can(Permission.CASE_VIEW):
        return None
    standing = Q(agency_id__in=visible_agency_ids(user, action))
    if not user.can(Permission.CONFIDENTIAL_VIEW):
        standing &= Q(confidential=False) | Q(handler=user) | Q(opened_by=user)
    return standing


def cases(user: User, action: Action = "view") -> QuerySet[Case]:
    """The cases ``user`` may see: by their role, and (headers only: what a grant's records belong to)
    the cases a live grant names. Their records follow :func:`documents` and :func:`media`, where a
    grant opens only what it lists."""
    standing = _standing_cases_q(user, action)
    if standing is None:
        return Case.objects.none()
    granted = live_grants(user) if action == "view" else _NO_GRANTS
    return Case.objects.filter(standing | Q(pk__in=granted.case_ids) if granted.case_ids else standing)


def _standing_cases(user: User, action: Action, case_id: int | None = None) -> QuerySet[Case]:
    """The cases seen by role alone (only ``case_id`` if given: naming the case keeps the subquery to
    one row, where SQLite would otherwise list every visible case of the agency for each query)."""
    standing = _standing_cases_q(user, action)
    if standing is None:
        return Case.objects.none()
    qs = Case.objects.filter(standing)
    return qs if case_id is None else qs.filter(pk=case_id)


def _case_standing(user: User, case: Case, action: Action) -> bool:
    if not _authenticated(user) or not user.can(Permission.CASE_VIEW):
        return False
    if case.agency_id not in visible_agency_ids(user, action):
        return False
    return (
        not case.confidential
        or user.can(Permission.CONFIDENTIAL_VIEW)
        or user.pk in (case.handler_id, case.opened_by_id)
    )


def _reads_records_q(user: User) -> Q:
    """Of the cases a user sees, those whose records (documents, A/V content) they read by their role,
    without a grant (R6.1: records are for work):

    * ``records.oversee`` (reviewers, approvers, the legal unit, the head, the justice bureau's
      supervisor) and ``case.archive`` (the archivist, custodian of the case files): all of them;
    * everyone else (the people who work cases): their own unit's cases that are not archived (a case
      or a user with no unit is not split by unit), and the cases they handle or opened.
    Another unit's case or an archived case file is read under a grant (调阅)."""
    if user.can(Permission.RECORDS_OVERSEE) or user.can(Permission.CASE_ARCHIVE):
        return Q()
    unit = Q() if user.unit_id is None else Q(unit__isnull=True) | Q(unit_id=user.unit_id)
    return (unit & ~Q(stage=Stage.ARCHIVED)) | Q(handler=user) | Q(opened_by=user)


def _reads_records(user: User, case: Case) -> bool:
    """:func:`_reads_records_q` for one case in memory."""
    if user.can(Permission.RECORDS_OVERSEE) or user.can(Permission.CASE_ARCHIVE):
        return True
    if user.pk in (case.handler_id, case.opened_by_id):
        return True
    same_unit = user.unit_id is None or case.unit_id is None or case.unit_id == user.unit_id
    return same_unit and case.stage != Stage.ARCHIVED


def case_visible(user: User, case: Case, action: Action = "view") -> bool:
    """:func:`cases`'s rule for one case already in memory, without a query (but a supervisor's list
    of agencies, and the user's live grants). Keep the two side by side: ``tests/access/test_scope.py``
    checks they agree."""
    if _case_standing(user, case, action):
        return True
    return action == "view" and user.can(Permission.CASE_VIEW) and case.pk in live_grants(user).case_ids


def documents(user: User, action: Action = "view", *, case_id: int | None = None) -> QuerySet[Document]:
    """Documents ``user`` may see (only those of case ``case_id`` if given): those of the cases whose
    records the user reads by role (:func:`_reads_records_q`) and is cleared for, and those a live grant
    names (one by one, or its whole case)."""
    by_role = _standing_cases(user, action, case_id).filter(_reads_records_q(user))
    # EXISTS, not ``case__in``: SQLite would first list every case the user reads (200,000 of an
    # agency at a million cases) before looking at the few cases a caller asks about
    return _documents(user, action, Q(Exists(by_role.filter(pk=OuterRef("case_id")))), case_id)


def documents_of(user: User, case: Case, action: Action = "view") -> QuerySet[Document]:
    """The documents of one case that ``user`` may see: :func:`documents` for a case in memory, with
    the case's rule applied to the instance instead of a subquery."""
    by_role = _case_standing(user, case, action) and _reads_records(user, case)
    return _documents(user, action, Q(case_id=case.pk) if by_role else Q(pk__in=[]), case.pk)


def _documents(user: User, action: Action, standing: Q, case_id: int | None) -> QuerySet[Document]:
    """Documents by role (``standing``, less the confidential ones unless cleared) or named by a live
    grant (of ``case_id`` only, if given), as one condition: no nested subquery to materialise."""
    if not user.can(Permission.CONFIDENTIAL_VIEW):
        standing &= Q(confidential=False)
    granted = live_grants(user) if action == "view" else _NO_GRANTS
    whole = granted.whole_case_ids if case_id is None else granted.whole_case_ids & {case_id}
    if not (granted.document_ids or whole):
        return Document.objects.filter(standing)
    extra = Q(pk__in=granted.document_ids) | Q(case_id__in=whole)
    if case_id is not None:
        extra &= Q(case_id=case_id)
    return Document.objects.filter(standing | extra)


def active_assignments(*, case_id: int | None = None) -> QuerySet[MediaAssignment]:
    """Assignment rows (media → case) that no later row has withdrawn (of one case if given)."""
    qs = MediaAssignment.objects.filter(withdraws__isnull=True, withdrawn_by__isnull=True)
    return qs if case_id is None else qs.filter(case_id=case_id)


def media_of_case(media: QuerySet[MediaRecord], case_id: int) -> QuerySet[MediaRecord]:
    """Of ``media``, the records of one case: recorded on it, or linked to it later and not withdrawn;
    oldest first."""
    assigned = active_assignments(case_id=case_id).values("media_id")
    return media.filter(Q(case_id=case_id) | Q(pk__in=assigned)).order_by("uploaded_at", "id")


def unassigned_media(agency_ids: list[int]) -> QuerySet[MediaRecord]:
    """Footage stored under these agencies and not tied to any case."""
    return MediaRecord.objects.filter(agency_id__in=agency_ids, case__isnull=True).exclude(
        pk__in=active_assignments().values("media_id")
    )


def media(user: User, action: Action = "view") -> QuerySet[MediaRecord]:
    """The A/V records ``user`` may see listed (their titles, hashes, times): those of the visible cases
    the user is cleared for, those waiting for a case in the visible agencies, and those a live grant
    names. Whether their *content* may be played or copied is :func:`media_content`'s question."""
    granted = live_grants(user) if action == "view" else _NO_GRANTS
    grant_q = granted.media_q
    if not _authenticated(user) or not (user.can(Permission.MEDIA_VIEW) or grant_q is not None):
        return MediaRecord.objects.none()
    standing = Q(pk__in=[])
    if user.can(Permission.MEDIA_VIEW):
        visible_cases = _standing_cases(user, action)
        assigned = active_assignments().filter(case__in=visible_cases).values("media_id")
        loose = unassigned_media(visible_agency_ids(user, action)).values("pk")
        standing = Q(case__in=visible_cases) | Q(pk__in=assigned) | Q(pk__in=loose)
        if not user.can(Permission.CONFIDENTIAL_VIEW):
            standing &= Q(confidential=False)
    return MediaRecord.objects.filter(standing | grant_q if grant_q is not None else standing)


# --- governed access: standing rights to A/V content and live grants (issue #13; R6.1) ---------------


@dataclass(frozen=True)
class LiveGrants:
    """What a user's approved, unexpired, unrevoked requests cover: whole cases, single documents and
    A/V records, each with the grant's number; ``copy_*`` for copy and release grants only."""

    whole_case_ids: frozenset[int] = frozenset()
    case_ids: frozenset[int] = frozenset()  # every case an item names (its header is shown)
    document_ids: frozenset[int] = frozenset()
    media_ids: frozenset[int] = frozenset()
    copy_whole_case_ids: frozenset[int] = frozenset()
    copy_media_ids: frozenset[int] = frozenset()
    numbers: tuple[
        tuple[str, int, int | None, int | None, bool], ...
    ] = ()  # (number, case, doc, media, copy)

    @property
    def media_q(self) -> Q | None:
        return _media_q(self.whole_case_ids, self.media_ids)

    @property
    def copy_media_q(self) -> Q | None:
        return _media_q(self.copy_whole_case_ids, self.copy_media_ids)

    def number_for(self, record: MediaRecord, case_ids: Iterable[int], *, copy: bool) -> str:
        """The number of a live grant covering ``record`` (on ``case_ids``), or ""."""
        cases_of = set(case_ids)
        for number, case_id, document_id, media_id, is_copy in self.numbers:
            if copy and not is_copy:
                continue
            if media_id == record.pk or (media_id is None and document_id is None and case_id in cases_of):
                return number
        return ""


_NO_GRANTS = LiveGrants()
# Bumped by every decision and revocation in this process, so a cached set of grants is not reused
# after one changed (the cache lives on the user object of one request).
_generation = [0]


def grants_changed() -> None:
    _generation[0] += 1


def _media_q(whole_case_ids: frozenset[int], media_ids: frozenset[int]) -> Q | None:
    if not (whole_case_ids or media_ids):
        return None
    assigned = active_assignments().filter(case_id__in=whole_case_ids).values("media_id")
    return Q(pk__in=media_ids) | Q(case_id__in=whole_case_ids) | Q(pk__in=assigned)


def live_grants(user: User) -> LiveGrants:
    """The user's live grants: approved, not expired (by the injectable clock), not revoked. One query,
    cached on the user object until a grant expires or one changes in this process."""
    if not _authenticated(user):
        return _NO_GRANTS
    now = clock.now()
    cached = getattr(user, "_liuhen_live_grants", None)
    if cached is not None and cached[0] == _generation[0] and cached[1] <= now < cached[2]:
        return cached[3]
    rows = list(
        AccessRequestItem.objects.filter(
            request__requested_by=user,
            request__decision__approved=True,
            request__decision__expires_at__gt=now,
            request__revocation__isnull=True,
        ).values_list(
            "request__number",
            "case_id",
            "document_id",
            "media_id",
            "request__kind",
            "request__decision__expires_at",
        )
    )
    numbers = tuple((n, c, d, m, k != "view") for n, c, d, m, k, _ in rows)
    whole = frozenset(c for _, c, d, m, _ in numbers if d is None and m is None)
    grants = LiveGrants(
        whole_case_ids=whole,
        case_ids=frozenset(c for _, c, _, _, _ in numbers),
        document_ids=frozenset(d for _, _, d, _, _ in numbers if d is not None),
        media_ids=frozenset(m for _, _, _, m, _ in numbers if m is not None),
        copy_whole_case_ids=frozenset(c for _, c, d, m, cp in numbers if cp and d is None and m is None),
        copy_media_ids=frozenset(m for _, _, _, m, cp in numbers if cp and m is not None),
        numbers=numbers,
    )
    # kept until the first of these grants expires, and never longer than a minute
    until = min([now + timedelta(minutes=1), *(row[5] for row in rows if row[5] is not None)])
    user._liuhen_live_grants = (_generation[0], now, until, grants)  # type: ignore[attr-defined]
    return grants


def _standing_media(user: User) -> QuerySet[MediaRecord]:
    """A/V whose content ``user`` may play by their role, without a grant: that of the cases whose
    records they read by role (:func:`_reads_records_q`), and the footage of their agency still waiting
    for a case for those who link it (``media.upload``) and the archivist who keeps it. Anything else —
    another unit's case, an archived case file, a copy of an original — needs a grant. (Listing A/V
    records, :func:`media`, stays wider: a user sees that a recording exists, and may ask to play it.)"""
    visible = media(user)
    if user.can(Permission.RECORDS_OVERSEE):
        return visible
    if user.agency_id is None:
        return MediaRecord.objects.none()
    worked = Case.objects.filter(agency_id=user.agency_id).filter(_reads_records_q(user))
    assigned = active_assignments().filter(case__in=worked).values("media_id")
    own = Q(case__in=worked) | Q(pk__in=assigned)
    if user.can(Permission.MEDIA_UPLOAD) or user.can(Permission.CASE_ARCHIVE):
        # footage waiting for a case: worked by those who link it, kept by the archivist
        own |= Q(pk__in=unassigned_media([user.agency_id]).values("pk"))
    return visible.filter(own)


def media_content(user: User, *, copy: bool = False) -> QuerySet[MediaRecord]:
    """A/V whose content ``user`` may play (``copy=False``) or copy out bit for bit (``copy=True``: a
    download of the original is a copy, 复制, and needs a copy or release grant whoever asks)."""
    grants = live_grants(user)
    granted = grants.copy_media_q if copy else grants.media_q
    visible = media(user)
    if copy:
        return visible.filter(granted) if granted is not None else MediaRecord.objects.none()
    standing = _standing_media(user)
    if granted is None:
        return standing
    return visible.filter(Q(pk__in=standing.values("pk")) | granted)


def content_grant(
    user: User, record: MediaRecord, case_ids: Iterable[int], *, copy: bool = False
) -> str | None:
    """Why ``user`` may play (or copy) ``record``, a record the caller read through :func:`media` (so
    the user may see it): a live grant's number when one covers it (checked against the grants already
    in memory, no query), "" by standing right, ``None`` when neither holds (the caller refuses)."""
    number = live_grants(user).number_for(record, case_ids, copy=copy)
    if number or copy:
        return number or None
    return "" if _standing_media(user).filter(pk=record.pk).exists() else None


def assignments(user: User, action: Action = "view") -> QuerySet[MediaAssignment]:
    return MediaAssignment.objects.filter(
        case__in=_standing_cases(user, action), media__in=media(user, action)
    )


def parties(user: User, action: Action = "view") -> QuerySet[Party]:
    if not _authenticated(user) or not user.can(Permission.CASE_VIEW):
        return Party.objects.none()
    return Party.objects.filter(agency_id__in=visible_agency_ids(user, action))


def devices(user: User, action: Action = "view") -> QuerySet[Device]:
    if not _authenticated(user) or not user.can(Permission.CASE_VIEW):
        return Device.objects.none()
    return Device.objects.filter(agency_id__in=visible_agency_ids(user, action))


def interruptions(user: User, action: Action = "view") -> QuerySet[Interruption]:
    return Interruption.objects.filter(case__in=_standing_cases(user, action))


def alerts(user: User, action: Action = "view") -> QuerySet[IntegrityAlert]:
    if not _authenticated(user) or not user.can(Permission.ALERT_MANAGE):
        return IntegrityAlert.objects.none()
    return IntegrityAlert.objects.filter(Q(agency_id=user.agency_id) | Q(agency__isnull=True))


def users(user: User, action: Action = "view") -> QuerySet[User]:
    if not _authenticated(user):
        return User.objects.none()
    if user.can(Permission.USER_MANAGE) and user.agency_id is not None:
        return User.objects.filter(Q(agency_id=user.agency_id) | Q(pk=user.pk))
    return User.objects.filter(pk=user.pk)


def agency_people(user: User) -> QuerySet[User]:
    """Everyone of the user's own agency, active or not (their names are on the agency's records);
    what the user may do to them is the role table's (``user.manage``)."""
    if not _authenticated(user) or user.agency_id is None:
        return User.objects.none()
    return User.objects.filter(agency_id=user.agency_id)


def org_units(user: User, action: Action = "view") -> QuerySet[OrgUnit]:
    """Units of the user's own agency: anyone there sees them; ``user.manage`` holders change them."""
    if not _authenticated(user) or user.agency_id is None:
        return OrgUnit.objects.none()
    if action == "change" and not user.can(Permission.USER_MANAGE):
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(agency_id=user.agency_id)


def agencies(user: User, action: Action = "view") -> QuerySet[Agency]:
    """The visible agencies (:func:`visible_agency_ids`); only ``user.manage`` holders change their own."""
    if action == "change" and not (_authenticated(user) and user.can(Permission.USER_MANAGE)):
        return Agency.objects.none()
    return Agency.objects.filter(pk__in=visible_agency_ids(user, action))


def colleagues(user: User) -> QuerySet[User]:
    """The active people of the user's own agency (for choosing a handler, a cosigner, a holder)."""
    if not _authenticated(user) or user.agency_id is None:
        return User.objects.none()
    return User.objects.filter(agency_id=user.agency_id, is_active=True)


def upload_visible(user: User, owner: str | None) -> bool:
    """An upload in progress (tus) belongs to whoever started it, and to no one else until it is a
    media record (whose scope is :func:`media`). ``owner``: the uploader's id kept with the upload."""
    return _authenticated(user) and owner == str(user.pk)


def restrict(user: User, model: type[Model], action: Action = "view") -> QuerySet:
    """The objects of ``model`` that ``user`` may ``view`` or ``change``."""
    return _BY_MODEL[model](user, action)


def _of_documents(model: type[Model]) -> Callable[[User, Action], QuerySet]:
    """What hangs off a document (signatures, refusals, amendments, signature images, signed paper
    copies, issued PDFs) is visible exactly when the document is."""

    def scoped(user: User, action: Action) -> QuerySet:
        return model._default_manager.filter(document__in=documents(user, action))

    return scoped


def approvals(user: User, action: Action = "view", *, case_id: int | None = None) -> QuerySet[ApprovalStep]:
    """Approval steps ``user`` may see (only those of case ``case_id`` if given)."""
    return ApprovalStep.objects.filter(case__in=_standing_cases(user, action, case_id)).filter(
        Q(document__isnull=True) | Q(document__in=documents(user, action, case_id=case_id))
    )


def drafts(user: User, action: Action = "view") -> QuerySet[DocumentDraft]:
    """Drafts ``user`` may see or change: those they wrote, and those on cases they handle (the handler
    finishes a colleague's unfinished 笔录), on a case they may see. A confidential draft is its
    author's, and the handler's only with ``confidential.view`` (as the record would be). Drafts are
    shown unmasked, because only people who make documents see them (every role that writes documents
    also holds ``personal.view``: ``tests/cases/test_drafts.py`` checks it)."""
    if not _authenticated(user) or not writes_documents(list(user.roles)):
        return DocumentDraft.objects.none()
    handled = Q(case__handler=user)
    if not user.can(Permission.CONFIDENTIAL_VIEW):
        handled &= Q(confidential=False)
    return DocumentDraft.objects.filter(case__in=_standing_cases(user, action)).filter(
        Q(created_by=user) | handled
    )


def archiving_cases(user: User) -> QuerySet[Case]:
    """Cases ``user`` may archive: those of their own agency, confidential ones included, for holders of
    ``case.archive``. The "archiving" reason: the archivist assembles and signs off a confidential case
    without being cleared for its content, so what is shown for this reason is what archiving needs
    (document titles, dates, hashes, page counts, the case number), never field contents; the read of a
    confidential case for it is logged (``case.archiving``) by the archive selectors."""
    if not _authenticated(user) or not user.can(Permission.CASE_ARCHIVE) or user.agency_id is None:
        return Case.objects.none()
    return Case.objects.filter(agency_id=user.agency_id)


def archiving_documents(user: User, case: Case) -> QuerySet[Document]:
    """The documents of ``case`` for the "archiving" reason (see :func:`archiving_cases`)."""
    if not archiving_cases(user).filter(pk=case.pk).exists():
        return Document.objects.none()
    return Document.objects.filter(case_id=case.pk)


def archiving_media(user: User, case: Case) -> QuerySet[MediaRecord]:
    """The footage of ``case`` (stored with it or linked to it) for the "archiving" reason."""
    if not archiving_cases(user).filter(pk=case.pk).exists():
        return MediaRecord.objects.none()
    return media_of_case(MediaRecord.objects.all(), case.pk)


def case_files(user: User, action: Action = "view") -> QuerySet[CaseFile]:
    """Signed-off case files: of the cases ``user`` may see, and of those they may archive."""
    return CaseFile.objects.filter(
        Q(case__in=_standing_cases(user, action)) | Q(case__in=archiving_cases(user))
    )


def disc_copies(user: User, action: Action = "view") -> QuerySet[DiscCopy]:
    """The carriers (discs) recorded for the case files ``user`` may see or archive."""
    return DiscCopy.objects.filter(case_file__in=case_files(user, action))


def _compilations(user: User, action: Action) -> QuerySet[CaseFileCompilation]:
    return CaseFileCompilation.objects.filter(
        Q(case__in=_standing_cases(user, action)) | Q(case__in=archiving_cases(user))
    )


def _transitions(user: User, action: Action) -> QuerySet[StageTransition]:
    return StageTransition.objects.filter(case__in=cases(user, action))


_BY_MODEL: dict[type[Model], Callable[[User, Action], QuerySet]] = {
    Case: cases,
    Document: documents,
    DocumentDraft: drafts,
    Signature: _of_documents(Signature),
    SignatureRefusal: _of_documents(SignatureRefusal),
    Amendment: _of_documents(Amendment),
    SignatureMark: _of_documents(SignatureMark),
    SignedCopy: _of_documents(SignedCopy),
    IssuedDocument: _of_documents(IssuedDocument),
    ApprovalStep: approvals,
    StageTransition: _transitions,
    CaseFile: case_files,
    CaseFileCompilation: _compilations,
    DiscCopy: disc_copies,
    MediaRecord: media,
    MediaAssignment: assignments,
    Party: parties,
    Device: devices,
    Interruption: interruptions,
    IntegrityAlert: alerts,
    User: users,
    OrgUnit: org_units,
    Agency: agencies,
}


def access_log_entries(user: User) -> QuerySet[LedgerEntry]:
    """The read entries (who viewed, played, downloaded, copied, exported or released what) of the
    visible agencies, for ``access_log.view`` holders: the legal unit and the head of their own agency,
    a justice bureau's supervisor of the agencies it supervises (R6, R7.3)."""
    if not _authenticated(user) or not user.can(Permission.ACCESS_LOG_VIEW):
        return LedgerEntry.objects.none()
    return LedgerEntry.objects.filter(agency_id__in=visible_agency_ids(user), action__in=READ_ACTIONS)


# --- ledger entries -----------------------------------------------------------------------------

# An entry's first object names what it describes; these types are records checked by their model.
_ENTRY_MODELS: dict[str, type[Model]] = {
    "case": Case,
    "document": Document,
    "signature": Signature,
    "refusal": SignatureRefusal,
    "amendment": Amendment,
    "mark": SignatureMark,
    "signed_copy": SignedCopy,
    "issued": IssuedDocument,
    "approval": ApprovalStep,
    "transition": StageTransition,
    "case_file": CaseFile,
    "compilation": CaseFileCompilation,
    "disc_copy": DiscCopy,
    "media": MediaRecord,
    "assignment": MediaAssignment,
    "party": Party,
    "device": Device,
    "interruption": Interruption,
    "alert": IntegrityAlert,
    "user": User,
    "access_request": AccessRequest,
    "disclosure_request": DisclosureRequest,
}


def entries_visible(user: User, entries: Iterable[LedgerEntry]) -> list[bool]:
    """For each entry, whether ``user`` may read it: exactly when the object it describes is visible.

    Entries about no record (a key rotation, a fixity run, an upload held, a lockout) are for those
    who deal with the system: ``alert.manage`` holders of the entry's agency, or of any agency when
    the entry has none. Anonymous readers see no entry (they follow the log by its hashes)."""
    entries = list(entries)
    if not _authenticated(user):
        return [False] * len(entries)
    wanted: dict[str, set[int]] = defaultdict(set)
    for entry in entries:
        if entry.object_type in _ENTRY_MODELS and entry.object_id is not None:
            wanted[entry.object_type].add(entry.object_id)
    visible_ids = {
        kind: set(restrict(user, _ENTRY_MODELS[kind]).filter(pk__in=ids).values_list("pk", flat=True))
        for kind, ids in wanted.items()
    }
    system = user.can(Permission.ALERT_MANAGE)
    out = []
    for entry in entries:
        if entry.object_type in _ENTRY_MODELS and entry.object_id is not None:
            out.append(entry.object_id in visible_ids[entry.object_type])
        else:
            out.append(system and entry.agency_id in (None, user.agency_id))
    return out


def access_requests(user: User, action: Action = "view") -> QuerySet[AccessRequest]:
    """调阅/复制/对外提供 requests ``user`` may see: their own; those of their agency for the roles that
    decide them (the agency's profile names them) and for the legal unit and the head
    (``access_log.view``, who watch how records are used); a justice bureau's supervisor: those of the
    agencies it supervises (read only)."""
    from liuhen.grants.models import AccessRequest

    if not _authenticated(user):
        return AccessRequest.objects.none()
    from liuhen.grants.policy import deciding_roles

    mine = Q(requested_by=user)
    if user.can(Permission.ACCESS_LOG_VIEW):
        return AccessRequest.objects.filter(mine | Q(agency_id__in=visible_agency_ids(user)))
    if user.agency is not None and set(user.roles) & deciding_roles(user.agency):
        return AccessRequest.objects.filter(mine | Q(agency_id=user.agency_id))
    return AccessRequest.objects.filter(mine)


def disclosure_requests(user: User, action: Action = "view") -> QuerySet[DisclosureRequest]:
    """Parties' and agents' requests (依申请公开): the desk's (``disclosure.handle``: the legal unit and
    the head) of their own agency. They hold the requester's personal data, so no one else sees them."""
    if not _authenticated(user) or not user.can(Permission.DISCLOSURE_HANDLE):
        return DisclosureRequest.objects.none()
    return DisclosureRequest.objects.filter(agency_id__in=visible_agency_ids(user, "change"))


_BY_MODEL[AccessRequest] = access_requests
_BY_MODEL[DisclosureRequest] = disclosure_requests

# Supervision (issue #14): each feature's rules live in their own module of this package and register
# their models above (``_BY_MODEL``, ``_ENTRY_MODELS``) when imported here.
from liuhen.access import (  # noqa: E402,F401
    scope_filereview,
    scope_publication,
    scope_spotchecks,
    scope_stats,
)
