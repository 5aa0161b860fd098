"""Disc copies (载体) of a signed-off case file: each ISO written is recorded (carrier number, type, who,
when, the image's and the package's digests, the A/V on it) with its ledger entry, and a disc found
later is checked against that record."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from liuhen.archive.discs import disc_copy_make
from liuhen.archive.integrity import verify_all
from liuhen.archive.models import DiscCopy
from liuhen.core.errors import Conflict, DomainError
from liuhen.ledger.models import LedgerEntry
from tests.factories import make_agency, make_user

pytestmark = pytest.mark.django_db


def test_given_a_disc_written_then_it_is_recorded_with_its_digests_and_a_ledger_entry(signed, tmp_path):
    case_file, archivist, _ = signed
    case = case_file.case
    iso = tmp_path / "disc.iso"
    disc = disc_copy_make(user=archivist, case_no=case.case_no, dest=iso, carrier_type="bd-r")
    assert (
        disc.carrier_no == f"{case_file.archive_no}-GP01"
        and disc.get_carrier_type_display() == "BD-R 蓝光光盘"
    )
    assert (
        disc.image_sha256 == hashlib.sha256(iso.read_bytes()).hexdigest()
        and disc.image_size == iso.stat().st_size
    )
    entry = LedgerEntry.objects.get(action="archive.disc_recorded")
    body = json.loads(bytes(entry.body))
    assert body["details"]["package_sha256"] == disc.package_sha256
    assert (body["details"]["image_sha256"], body["details"]["image_size"]) == (
        disc.image_sha256,
        disc.image_size,
    )
    assert "contents" not in body or body["contents"] == []  # the image is on the disc, not in the store
    again = disc_copy_make(user=archivist, case_no=case.case_no, dest=tmp_path / "second.iso")
    assert again.carrier_no.endswith("-GP02")
    assert verify_all() == []
    with pytest.raises(Conflict, match="已登记"):
        disc_copy_make(
            user=archivist, case_no=case.case_no, dest=tmp_path / "x.iso", carrier_no=disc.carrier_no
        )
    assert not (tmp_path / "x.iso").exists()  # refused before anything was written


def test_given_a_bad_carrier_type_or_a_role_without_archive_right_then_refused(signed, tmp_path):
    case_file, archivist, _ = signed
    case, officer = case_file.case, make_user(case_file.agency)
    with pytest.raises(DomainError, match="载体类型"):
        disc_copy_make(user=archivist, case_no=case.case_no, dest=tmp_path / "a.iso", carrier_type="tape")
    with pytest.raises(DomainError):
        disc_copy_make(user=officer, case_no=case.case_no, dest=tmp_path / "b.iso")
    assert not DiscCopy.objects.exists()


def test_given_a_disc_when_checked_against_its_record_then_a_recorded_one_passes_and_another_fails(
    signed, tmp_path, capsys
):
    """GIVEN one recorded disc and one package of the same case file written without a record WHEN each
    is checked with --as THEN the recorded one names its carrier; the other fails in one line."""
    case_file, archivist, _ = signed
    case = case_file.case
    iso = tmp_path / "disc.iso"
    call_command(
        "archive", "disc", case.case_no, str(iso), "--carrier-no", "GP-2026-0007", "--as", archivist.username
    )
    assert "载体编号 GP-2026-0007" in capsys.readouterr().out
    call_command("archive", "check", str(iso), "--as", archivist.username)
    assert "载体登记\tGP-2026-0007\tDVD-R 光盘" in capsys.readouterr().out
    unrecorded = tmp_path / "package"
    call_command("archive", "package", case.case_no, str(unrecorded), "--as", archivist.username)
    call_command("archive", "check", str(unrecorded))  # the DA/T 70 checks alone pass
    with pytest.raises(CommandError, match="matches no recorded disc copy"):
        call_command("archive", "check", str(unrecorded), "--as", archivist.username)
    stranger = make_user(make_agency(), ["archivist"])
    with pytest.raises(
        CommandError, match="matches no recorded disc copy"
    ):  # another agency's record is not seen
        call_command("archive", "check", str(iso), "--as", stranger.username)


def test_the_disc_copy_record_is_append_only(signed, tmp_path):
    from django.db import DatabaseError, transaction

    case_file, archivist, _ = signed
    case = case_file.case
    disc = disc_copy_make(user=archivist, case_no=case.case_no, dest=tmp_path / "d.iso")
    with pytest.raises(DatabaseError), transaction.atomic():
        DiscCopy.objects.filter(pk=disc.pk).update(carrier_no="changed")
