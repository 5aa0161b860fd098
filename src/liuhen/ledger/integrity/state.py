"""The state of every row the services write, as one canonical JSON object per row and its SHA-256.

Record tables are append-only by triggers, but triggers can be dropped by whoever holds the database,
and a few tables are current-state tables that the services update (a case's stage, a device's holder,
a user's roles). So every service's ledger entry carries, in ``details.state``, the SHA-256 of the new
state of each row it created or changed: ``{"case": "<hex>", "transition": "<hex>"}``, each key also a
key of the entry's ``objects`` (which gives the row's id). ``liuhen verify`` recomputes the hash of
every current row and compares it with the latest entry that set that row's state: a row changed
outside the services is ``modified`` (naming the entry), a row whose entries exist but that is gone is
``missing``, a row no entry ever set is ``extra``.

One definition, used twice: the services call :func:`row_states` right after they write (the row read
back from the database, so both sides see the same values), and verify calls :func:`state_hashes` over
whole tables (chunked, one query per chunk and per many-to-many field, no per-row query).

The state of a row (:func:`state_dict`) is ``{"v": STATE_VERSION, column: value, …, m2m: [ids]}`` over
the columns its :class:`Tracked` spec lists — explicitly, so that adding a column to a model does not
silently change every hash (``tests/ledger/test_verify_rows.py`` fails until the new column is either
listed here or excluded with a reason). Values: datetimes as UTC ``YYYY-MM-DDTHH:MM:SS.ffffffZ``;
floats inside JSON columns as ``{"$float": repr}`` (canonical JSON has no floats); many-to-many as
sorted ids. Only the hash goes into the entry: entries are read by auditors and exported in bundles,
and rows hold personal data (ID numbers, phones) that must not travel with them.

Left out, on purpose: ``User.last_login`` (Django updates it on every login) and ``User.password``
(Django re-hashes a password outside any service when it checks one against a hasher whose parameters
changed — the iteration count rises with each Django release — so the hash cannot be pinned; a forged
password hash is a log-in, and what is done after it is logged under that user).

**Databases written before rows carried state** (the upgrade path): migration
``cases.0006_state_baseline`` calls :func:`state_baseline` once, which appends one ``state.baseline``
entry per existing row that an earlier entry names (``objects``) and that no entry has set a state for,
carrying that row's state. A row that no entry names (inserted around the services) is not baselined
and stays ``extra``. The migration runs once per database, so the baseline cannot later bless a row
changed after the upgrade; rows changed before the upgrade are still caught where the older content
checks of :mod:`liuhen.archive.integrity` cover them (documents, media, signatures …).
Agencies and their units were tracked later, and before that no entry named them (the demo loader and
operators made them by hand): migration ``accounts.0002_agency_unit_baseline`` baselines every such row
that existed then (:func:`agency_unit_baseline`).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from itertools import islice
from types import SimpleNamespace
from typing import Any

from django.apps import apps as django_apps

from liuhen.core.canonical import canonical_bytes

STATE_VERSION = 1
STATE_KEY = "state"  # the key in an entry's ``details``
BASELINE_ACTION = "state.baseline"
CHUNK = 2000


@dataclass(frozen=True)
class Tracked:
    """What the state of one model's rows is, and where a baseline entry finds its agency and case."""

    object_type: str  # the key in entries' ``objects`` and ``details.state``
    model: str  # app_label.ModelName
    columns: tuple[str, ...]  # attnames (``agency_id``), in the state as named
    many: tuple[str, ...] = ()  # many-to-many fields, as sorted ids
    excluded: tuple[str, ...] = ()  # concrete columns deliberately not in the state (docstring says why)
    agency: str = ""  # lookup path of the row's agency id (for baseline entries)
    case: str = ""  # lookup path of the row's case id (for baseline entries)


def _cols(text: str) -> tuple[str, ...]:
    return tuple(text.split())


TRACKED: dict[str, Tracked] = {
    spec.object_type: spec
    for spec in (
        Tracked(
            "case",
            "cases.Case",
            _cols(
                "agency_id unit_id case_no year seq procedure initiation_kind cause summary source "
                "emergency_start emergency_started_at is_real_name_complaint confidential flags stage "
                "handler_id opened_at opened_by_id enforcement_ended_at archived_at"
            ),
            many=("parties",),
            agency="agency_id",
            case="id",
        ),
        Tracked(
            "party",
            "cases.Party",
            _cols(
                "agency_id kind name id_type id_number legal_representative address phone "
                "created_at created_by_id"
            ),
            agency="agency_id",
        ),
        Tracked(
            "user",
            "accounts.User",
            _cols(
                "username agency_id unit_id full_name certificate_no roles is_active is_staff "
                "is_superuser first_name last_name email date_joined"
            ),
            many=("supervised_agencies", "groups", "user_permissions"),
            excluded=("password", "last_login"),
            agency="agency_id",
        ),
        Tracked(
            "agency",
            "accounts.Agency",
            _cols("code name short_name case_prefix kind profile_id province"),
            agency="id",
        ),
        Tracked("unit", "accounts.OrgUnit", _cols("agency_id name kind"), agency="agency_id"),
        Tracked(
            "token",
            "accounts.ApiToken",
            _cols("user_id name token_sha256 created_at revoked_at"),
            agency="user__agency_id",
        ),
        Tracked(
            "transition",
            "cases.StageTransition",
            _cols("case_id from_stage to_stage at by_id reason override overridden_findings"),
            agency="case__agency_id",
            case="case_id",
        ),
        Tracked(
            "document",
            "cases.Document",
            _cols("case_id doc_type number fields body_sha256 stage confidential created_at created_by_id"),
            agency="case__agency_id",
            case="case_id",
        ),
        Tracked(
            "signature",
            "cases.Signature",
            _cols(
                "document_id signer_role signer_name signer_user_id method cross_page_seal signed_at "
                "recorded_by_id recorded_at"
            ),
            agency="document__case__agency_id",
            case="document__case_id",
        ),
        Tracked(
            "refusal",
            "cases.SignatureRefusal",
            _cols(
                "document_id refuser_role refuser_name reason noted_at cosigner_1_id cosigner_2_id "
                "recorded_by_id recorded_at"
            ),
            agency="document__case__agency_id",
            case="document__case_id",
        ),
        Tracked(
            "amendment",
            "cases.Amendment",
            _cols(
                "document_id changes reason amended_by_id amended_at party_ack_method party_ack_name "
                "body_sha256"
            ),
            agency="document__case__agency_id",
            case="document__case_id",
        ),
        Tracked(
            "mark",
            "cases.SignatureMark",
            _cols(
                "document_id signature_id amendment_id kind sha256 size content_type storage_key width "
                "height strokes latitude longitude accuracy_m created_at created_by_id"
            ),
            agency="document__case__agency_id",
            case="document__case_id",
        ),
        Tracked(
            "signed_copy",
            "cases.SignedCopy",
            _cols(
                "document_id version sha256 size content_type storage_key page_count note created_at "
                "created_by_id"
            ),
            agency="document__case__agency_id",
            case="document__case_id",
        ),
        Tracked(
            "issued",
            "issuing.IssuedDocument",
            _cols(
                "document_id version copy attestations sha256 sm3 size storage_key record_leaf sealed_by issued_at "
                "issued_by_id"
            ),
            agency="document__case__agency_id",
            case="document__case_id",
        ),
        Tracked(
            "approval",
            "cases.ApprovalStep",
            _cols("case_id document_id kind decision opinion decided_at actor_id actor_role"),
            agency="case__agency_id",
            case="case_id",
        ),
        Tracked(
            "media",
            "evidence.MediaRecord",
            _cols(
                "case_id agency_id kind activity title sha256 size content_type original_filename "
                "storage_key device_no officers location captured_start captured_end remote_work "
                "returned_at linked_documents confidential uploaded_at uploaded_by_id"
            ),
            agency="agency_id",
            case="case_id",
        ),
        Tracked(
            "assignment",
            "evidence.MediaAssignment",
            _cols("media_id case_id activity linked_documents withdraws_id reason by_id at"),
            agency="case__agency_id",
            case="case_id",
        ),
        Tracked(
            "document_link",
            "evidence.MediaDocumentLink",
            _cols("media_id case_id documents withdraws_id reason by_id at"),
            agency="case__agency_id",
            case="case_id",
        ),
        Tracked(
            "intake",
            "evidence.MediaIntake",
            _cols("media_id upload_id probe format_flagged poster_sha256 device_flag late_cause received_at"),
            agency="media__agency_id",
            case="media__case_id",
        ),
        Tracked(
            "interruption",
            "evidence.Interruption",
            _cols(
                "case_id reason detail device_no interrupted_at resumed_at explanation_media_id "
                "statement_id recorded_by_id recorded_at"
            ),
            agency="case__agency_id",
            case="case_id",
        ),
        Tracked(
            "device",
            "evidence.Device",
            _cols("agency_id number kind model_name unit_id custodian_id status holder_id registered_at"),
            agency="agency_id",
        ),
        Tracked(
            "device_event",
            "evidence.DeviceEvent",
            _cols(
                "device_id kind status_after at by_id holder_id battery_percent free_storage_mb "
                "check_passed note"
            ),
            agency="device__agency_id",
        ),
        Tracked(
            "archive_counter",
            "archive.ArchiveCounter",
            _cols("agency_id year retention last_seq"),
            agency="agency_id",
        ),
        Tracked(
            "compilation",
            "archive.CaseFileCompilation",
            _cols("case_id items notes digest compiled_by_id compiled_at"),
            agency="case__agency_id",
            case="case_id",
        ),
        Tracked(
            "case_file",
            "archive.CaseFile",
            _cols(
                "case_id agency_id compilation_id archive_no year seq retention retention_basis holds items "
                "cover notes compiled_by_id compiled_at checked_by_id checked_at digest"
            ),
            agency="agency_id",
            case="case_id",
        ),
        Tracked(
            "supplement",
            "archive.CaseFileSupplement",
            _cols("case_file_id items reason digest added_by_id added_at"),
            agency="case_file__agency_id",
            case="case_file__case_id",
        ),
        Tracked(
            "supplement_approval",
            "archive.SupplementApproval",
            _cols("supplement_id opinion approved_by_id approved_at"),
            agency="supplement__case_file__agency_id",
            case="supplement__case_file__case_id",
        ),
        Tracked(
            "disposal",
            "archive.DisposalList",
            _cols("agency_id number entries reason digest proposed_by_id proposed_at"),
            agency="agency_id",
        ),
        Tracked(
            "disposal_approval",
            "archive.DisposalApproval",
            _cols("disposal_id role opinion approved_by_id approved_at"),
            agency="disposal__agency_id",
        ),
        Tracked(
            "disc_copy",
            "archive.DiscCopy",
            _cols(
                "case_file_id agency_id carrier_no carrier_type image_sha256 image_size package_sha256 "
                "media_ids made_by_id made_at"
            ),
            agency="agency_id",
            case="case_file__case_id",
        ),
        Tracked(
            "disposal_destruction",
            "archive.DisposalDestruction",
            _cols("disposal_id sha256 size outcome executed_by_id executed_at"),
            agency="disposal__agency_id",
        ),
    )
}

_DEVICE_EVENTS = ("registered", "handed_out", "returned", "checked", "fault", "repaired", "retired")

# Every action whose entries carry ``details.state`` (verify reads only these entries' bodies).
STATE_ACTIONS: frozenset[str] = frozenset(
    {
        BASELINE_ACTION,
        "party.created",
        "case.opened",
        "case.transitioned",
        "case.override",
        "user.created",
        "user.roles_changed",
        "user.updated",
        "user.deactivated",
        "user.reactivated",
        "user.password_reset",
        "agency.created",
        "agency.updated",
        "unit.created",
        "unit.renamed",
        "token.issued",
        "document.created",
        "document.signed",
        "document.signature_refused",
        "document.amended",
        "document.mark_added",
        "document.signed_copy_added",
        "document.issued",
        "approval.recorded",
        "media.uploaded",
        "media.intake",
        "media.assigned",
        "media.assignment_withdrawn",
        "media.documents_linked",
        "media.document_link_withdrawn",
        "av.interruption",
        "archive.case_file_compiled",
        "archive.case_file_signed",
        "archive.supplement_added",
        "archive.supplement_approved",
        "archive.disposal_proposed",
        "archive.disposal_approved",
        "archive.content_destroyed",
        "archive.disc_recorded",
        *(f"device.{kind}" for kind in _DEVICE_EVENTS),
    }
)

# The governed-access tables (issue #13) and the supervision tables (issue #14) are listed in their own modules.
from liuhen.ledger.integrity import (  # noqa: E402
    state_access,
    state_filereview,
    state_publication,
    state_spotchecks,
    state_stats,
)

for _module in (state_access, state_spotchecks, state_filereview, state_stats, state_publication):
    TRACKED.update({spec.object_type: spec for spec in _module.TRACKED})
    STATE_ACTIONS = STATE_ACTIONS | _module.STATE_ACTIONS


# --- the state of rows ------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A column value as canonical JSON can hold it (see the module docstring)."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.isoformat()
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return {"$float": repr(value)}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return str(value)


def state_dict(spec: Tracked, values: Iterable[Any], many: Mapping[str, list[int]]) -> dict[str, Any]:
    """The canonical state of one row: its listed column ``values`` (in ``spec.columns`` order) and ids."""
    state: dict[str, Any] = {"v": STATE_VERSION}
    state.update(zip(spec.columns, map(_plain, values), strict=True))
    for name in spec.many:
        state[name] = sorted(many.get(name, ()))
    return state


def state_hash(state: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_bytes(dict(state))).hexdigest()


def _model(spec: Tracked, apps: Any) -> Any:
    return (apps or django_apps).get_model(spec.model)


def _chunks(rows: Iterator[tuple], size: int) -> Iterator[list[tuple]]:
    while chunk := list(islice(rows, size)):
        yield chunk


def _many_ids(model: Any, name: str, pks: list[int]) -> dict[int, list[int]]:
    """Owner id → related ids of one many-to-many field, for owners ``min(pks)..max(pks)`` (one query)."""
    field = model._meta.get_field(name)
    through = field.remote_field.through
    source, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
    found: dict[int, list[int]] = defaultdict(list)
    rows = through._default_manager.filter(
        **{f"{source}__gte": pks[0], f"{source}__lte": pks[-1]}
    ).values_list(source, target)
    for owner, other in rows:
        found[owner].append(other)
    return found


def state_rows(
    object_type: str, *, pks: Iterable[int] | None = None, apps: Any = None, extra: tuple[str, ...] = ()
) -> Iterator[tuple[int, dict[str, Any], tuple[Any, ...]]]:
    """(pk, state, values of the ``extra`` lookups) of every row of ``object_type`` (or of ``pks``),
    in pk order, ``CHUNK`` rows per query. ``apps``: a migration's historical apps."""
    spec = TRACKED[object_type]
    model = _model(spec, apps)
    queryset = model._default_manager.order_by("pk")
    if pks is not None:
        queryset = queryset.filter(pk__in=list(pks))
    rows = queryset.values_list("pk", *spec.columns, *extra).iterator(chunk_size=CHUNK)
    width = 1 + len(spec.columns)
    for chunk in _chunks(rows, CHUNK):
        ids = [row[0] for row in chunk]
        many = {name: _many_ids(model, name, ids) for name in spec.many}
        for row in chunk:
            pk = row[0]
            related = {name: by_owner.get(pk, []) for name, by_owner in many.items()}
            yield pk, state_dict(spec, row[1:width], related), row[width:]


def state_hashes(
    object_type: str, *, pks: Iterable[int] | None = None, apps: Any = None
) -> Iterator[tuple[int, str]]:
    """(pk, state hash) of every row of ``object_type`` (or of ``pks``), in pk order."""
    for pk, state, _ in state_rows(object_type, pks=pks, apps=apps):
        yield pk, state_hash(state)


def row_states(**objects: int) -> dict[str, str]:
    """For a service's entry: ``details["state"] = row_states(case=case.pk, transition=t.pk)``.

    Reads each row back from the database (inside the service's transaction), so the hash is of what
    was stored, exactly as verify will read it."""
    out = {}
    for object_type, pk in objects.items():
        found = dict(state_hashes(object_type, pks=[pk]))
        if pk not in found:
            raise LookupError(f"{object_type} {pk} has no row to record the state of")
        out[object_type] = found[pk]
    return out


# --- what the log recorded --------------------------------------------------------------------------


@dataclass
class Recorded:
    """What the entries say: the latest state entry of each row, and every row an entry names."""

    latest: dict[str, dict[int, tuple[int, str]]]  # type → pk → (entry index, state hash)
    named: dict[str, set[int]]  # type → pks named in entries' ``objects``


def recorded_states(*, apps: Any = None) -> Recorded:
    """One pass over the entries of :data:`STATE_ACTIONS` in index order (bodies parsed, chunked)."""
    entry_model = (apps or django_apps).get_model("ledger", "LedgerEntry")
    latest: dict[str, dict[int, tuple[int, str]]] = defaultdict(dict)
    named: dict[str, set[int]] = defaultdict(set)
    rows = (
        entry_model._default_manager.filter(action__in=sorted(STATE_ACTIONS))
        .order_by("index")
        .values_list("index", "body")
        .iterator(chunk_size=CHUNK)
    )
    for index, body in rows:
        entry = json.loads(bytes(body))
        objects = entry.get("objects") or {}
        for object_type, pk in objects.items():
            if isinstance(pk, int):
                named[object_type].add(pk)
        states = (entry.get("details") or {}).get(STATE_KEY) or {}
        for object_type, digest in states.items():
            pk = objects.get(object_type)
            if isinstance(pk, int) and isinstance(digest, str):
                latest[object_type][pk] = (index, digest)
    return Recorded(latest, named)


# --- the upgrade path -------------------------------------------------------------------------------


def state_baseline(*, apps: Any = None) -> int:
    """Append one ``state.baseline`` entry per row that an entry names but none has set a state for.

    For databases written before entries carried state; run once, by migration
    ``cases.0006_state_baseline`` (plain SQL appends, so historical ``apps`` do). Returns the count."""
    from liuhen.ledger.services import EntryDraft, ledger_append_many

    registry = apps or django_apps
    recorded = recorded_states(apps=apps)
    agencies = {
        pk: SimpleNamespace(pk=pk, code=code)
        for pk, code in registry.get_model("accounts", "Agency")._default_manager.values_list("pk", "code")
    }
    cases = {
        pk: SimpleNamespace(pk=pk, case_no=no)
        for pk, no in registry.get_model("cases", "Case")._default_manager.values_list("pk", "case_no")
    }
    drafts = []
    for object_type, spec in TRACKED.items():
        if not _exists(spec, registry):  # a table added by a later migration has no rows to baseline
            continue
        known = recorded.latest.get(object_type, {})
        named = _baseline_named(object_type, recorded, registry)
        lookups = tuple(path for path in (spec.agency, spec.case) if path)
        for pk, state, refs in state_rows(object_type, apps=apps, extra=lookups):
            if pk in known or pk not in named:
                continue
            by_path = dict(zip(lookups, refs, strict=True))
            drafts.append(
                EntryDraft(
                    BASELINE_ACTION,
                    agency=agencies.get(by_path.get(spec.agency)),
                    case=cases.get(by_path.get(spec.case)),
                    objects={object_type: pk},
                    details={STATE_KEY: {object_type: state_hash(state)}},
                )
            )
    if drafts:
        ledger_append_many(drafts=drafts)
    return len(drafts)


def _exists(spec: Tracked, registry: Any) -> bool:
    try:
        registry.get_model(spec.model)
    except LookupError:
        return False
    return True


def _baseline_named(object_type: str, recorded: Recorded, registry: Any) -> set[int]:
    """Rows an earlier entry names. API tokens were logged under their user only (``token.issued``
    named ``objects.user``): a token counts as named when its user's entries name the user."""
    if object_type != "token":
        return recorded.named.get(object_type, set())
    users = recorded.named.get("user", set())
    tokens = registry.get_model("accounts", "ApiToken")._default_manager.values_list("pk", "user_id")
    return {pk for pk, user_id in tokens if user_id in users}


def agency_unit_baseline(*, apps: Any = None) -> int:
    """Append one ``state.baseline`` entry per agency and unit whose state no entry has set yet.

    Unlike :func:`state_baseline`, a row need not be named by an earlier entry: until they were
    tracked, agencies and units were never written by a service, so none is. Run once, by migration
    ``accounts.0002_agency_unit_baseline``; a new database has no rows then. Returns the count."""
    from liuhen.ledger.services import EntryDraft, ledger_append_many

    recorded = recorded_states(apps=apps)
    drafts = []
    for object_type in ("agency", "unit"):
        known = recorded.latest.get(object_type, {})
        spec = TRACKED[object_type]
        for pk, state, (agency_id,) in state_rows(object_type, apps=apps, extra=(spec.agency,)):
            if pk not in known:
                drafts.append(
                    EntryDraft(
                        BASELINE_ACTION,
                        agency=_agency_ref(agency_id, apps),
                        objects={object_type: pk},
                        details={STATE_KEY: {object_type: state_hash(state)}},
                    )
                )
    if drafts:
        ledger_append_many(drafts=drafts)
    return len(drafts)


def _agency_ref(pk: int, apps: Any) -> SimpleNamespace:
    code = (apps or django_apps).get_model("accounts", "Agency")._default_manager.get(pk=pk).code
    return SimpleNamespace(pk=pk, code=code)
