"""Disc copies (载体) of a signed-off case file: burn-ready ISO images, each recorded with its carrier
number, who made it, when, and the digests of the image and of the package on it; and the check of a
disc found later against its record.

The record is what makes a disc a copy the archive can rely on (xinle-fg§28: evidence A/V kept on
disc; longjiang-cg§19: long-term keeping): a disc whose package digest matches no record of its case
file is not one Liuhen made, whatever its contents say.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from django.db import IntegrityError, transaction

from liuhen.access import scope
from liuhen.accounts.models import User
from liuhen.accounts.roles import Permission
from liuhen.archive.models import CaseFile, DiscCopy
from liuhen.archive.outputs import package_write
from liuhen.archive.selectors import case_file_get
from liuhen.cases.services.common import require
from liuhen.core import clock
from liuhen.core.errors import Conflict, invalid
from liuhen.ledger.integrity.state import STATE_KEY, row_states
from liuhen.ledger.services import ledger_append

PACKAGE_DIGEST = "package.sha256"  # written by the package writer: "<sha256>  manifest.json"
MANIFEST = "manifest.json"


def disc_copy_make(
    *, user: User, case_no: str, dest: Path, carrier_no: str = "", carrier_type: str = "dvd-r"
) -> DiscCopy:
    """Write the case file's package as an ISO image at ``dest`` and record it as carrier ``carrier_no``
    (default: the 档号 with the next disc number, e.g. ``…-0001-GP02``). The carrier number is checked
    before anything is written; the record is made once the image is complete at ``dest``."""
    from liuhen.archive.disc import write_iso

    require(user, Permission.CASE_ARCHIVE)
    case_file = case_file_get(user=user, case_no=case_no)
    if carrier_type not in DiscCopy.CarrierType.values:
        raise invalid(
            "carrier_type", "invalid", f"载体类型须为 {'、'.join(DiscCopy.CarrierType.labels)} 之一"
        )
    carrier_no = carrier_no.strip() or _next_carrier_no(case_file)
    _require_free(case_file, carrier_no)
    with tempfile.TemporaryDirectory(prefix="liuhen-disc-") as folder:
        root = package_write(case_file=case_file, dest=Path(folder) / case_file.archive_no)
        package_sha256 = package_digest(root)
        summary = write_iso(root, dest, volume_id=case_file.archive_no)
    media_ids = [int(i["record"].split(":")[1]) for i in case_file.items if i["record"].startswith("media:")]
    return _record(
        case_file=case_file,
        user=user,
        carrier_no=carrier_no,
        carrier_type=carrier_type,
        image_sha256=summary.sha256,
        image_size=summary.size,
        package_sha256=package_sha256,
        media_ids=media_ids,
    )


@transaction.atomic
def _record(*, case_file: CaseFile, user: User, **fields) -> DiscCopy:
    now = clock.now()
    try:
        with transaction.atomic():
            disc = DiscCopy.objects.create(
                case_file=case_file, agency=case_file.agency, made_by=user, made_at=now, **fields
            )
    except IntegrityError:
        raise _taken(fields["carrier_no"]) from None  # recorded by someone else meanwhile
    ledger_append(
        action="archive.disc_recorded",
        actor=user,
        agency=case_file.agency,
        case=case_file.case,
        objects={"disc_copy": disc.pk, "case_file": case_file.pk},
        details={  # the image is on the carrier, not in the store: its digest is a detail, not a content
            "image_sha256": disc.image_sha256,
            "image_size": disc.image_size,
            "archive_no": case_file.archive_no,
            "carrier_no": disc.carrier_no,
            "carrier_type": disc.carrier_type,
            "package_sha256": disc.package_sha256,
            "media": disc.media_ids,
            STATE_KEY: row_states(disc_copy=disc.pk),
        },
        at=now,
    )
    return disc


def _next_carrier_no(case_file: CaseFile) -> str:
    return f"{case_file.archive_no}-GP{case_file.disc_copies.count() + 1:02d}"


def _require_free(case_file: CaseFile, carrier_no: str) -> None:
    if len(carrier_no) > 64:
        raise invalid("carrier_no", "too_long", "载体编号不能超过 64 个字符")
    if DiscCopy.objects.filter(agency=case_file.agency, carrier_no=carrier_no).exists():
        raise _taken(carrier_no)


def _taken(carrier_no: str) -> Conflict:
    return Conflict(f"载体编号 {carrier_no} 已登记，请换一个编号")


def package_digest(package_root: Path) -> str:
    """The package's digest as its ``package.sha256`` states it (the checker's item 1-14 verifies it)."""
    return (package_root / PACKAGE_DIGEST).read_text(encoding="utf-8").split()[0]


def disc_record_for(*, user: User, package_root: Path) -> tuple[str, DiscCopy | None]:
    """The 档号 a package on a disc names and the carrier record whose package digest it matches, if
    any, among the case files ``user`` may see or archive."""
    archive_no = json.loads((package_root / MANIFEST).read_text(encoding="utf-8"))["archive_no"]
    digest = package_digest(package_root)
    found = (
        scope.disc_copies(user)
        .select_related("made_by")
        .filter(case_file__archive_no=archive_no, package_sha256=digest)
        .first()
    )
    return archive_no, found


def disc_copies_of(*, user: User, case_file: CaseFile) -> list[DiscCopy]:
    """The carriers recorded for ``case_file`` that ``user`` may see, oldest first."""
    return list(scope.disc_copies(user).filter(case_file=case_file).select_related("made_by"))
