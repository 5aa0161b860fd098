"""Archive a closed case the only way there is: the 立卷人 and a second archivist sign its case file."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from liuhen.archive import services
from liuhen.archive.models import CaseFile
from liuhen.cases.blobs import blob_store
from liuhen.cases.models import Case
from liuhen.core import clock
from liuhen.evidence.services.media import media_record_create
from tests.factories import make_user


def archive_case(case: Case) -> CaseFile:
    """Sign ``case`` (closed, with at least one document or recording) off through its case file, by two
    archivists made for it; the sign-off moves it to 归档."""
    compiler = make_user(case.agency, ["archivist"], name="立卷人")
    checker = make_user(case.agency, ["archivist"], name="检查人")
    services.case_file_compile(case=case, by=compiler)
    return services.case_file_sign(case=case, by=checker)


def inquiry_recording(
    case: Case, officer, folder: Path, data: bytes = b"RIFF" + bytes(range(256)) * 8
) -> str:
    """A 询问录音 of ``data`` stored write-once and recorded on ``case`` (device, place, officers, two
    minutes' times labelled); its SHA-256."""
    path = folder / "inquiry.wav"
    path.write_bytes(data)
    blob = blob_store().put_file(path)
    at = clock.now() - timedelta(minutes=5)
    media_record_create(
        case=case,
        uploaded_by=officer,
        sha256=blob.sha256,
        size=blob.size,
        storage_key=blob.key,
        kind="audio",
        title="询问录音",
        activity="inquiry",
        content_type="audio/wav",
        original_filename="inquiry.wav",
        device_no="DSJ-009",
        officers=["张三", "李四"],
        location="执法局询问室",
        captured_start=at,
        captured_end=at + timedelta(minutes=2),
    )
    return blob.sha256
