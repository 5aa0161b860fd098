"""A small scripting helper that plays a case's history through the real services at past times."""

from __future__ import annotations

import io
import tempfile
import wave
import zlib
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from liuhen.accounts.models import User
from liuhen.accounts.roles import may_author
from liuhen.archive import services as archive
from liuhen.cases import services
from liuhen.cases.blobs import blob_store
from liuhen.cases.models import Case, Document
from liuhen.catalogue import example_fields, get_type
from liuhen.core import clock
from liuhen.evidence.services.media import media_record_create


def _silence_wav(seconds: int, seed: int) -> bytes:
    """A short, real WAV recording (quiet noise), distinct per seed so each file has its own hash."""
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        frames = bytearray()
        state = seed or 1
        for _ in range(8000 * seconds):
            state = (state * 1103515245 + 12345) & 0x7FFFFFFF
            frames += ((state >> 16) % 64 - 32).to_bytes(2, "little", signed=True)
        w.writeframes(bytes(frames))
    return buf.getvalue()


class CaseScript:
    """Plays steps at a moving clock; ``people`` maps short names (officer, head …) to users."""

    def __init__(self, people: dict[str, User], start: datetime) -> None:
        self.people = people
        self.at = start
        self.case: Case | None = None
        self.docs: dict[str, Document] = {}
        self._move = None

    @property
    def _case(self) -> Case:
        if self.case is None:
            raise RuntimeError("open() the case before adding records to it")
        return self.case

    def later(self, *, days: int = 0, hours: int = 0, minutes: int = 0) -> CaseScript:
        self.at += timedelta(days=days, hours=hours, minutes=minutes)
        return self

    def _now(self):
        return clock.frozen(self.at)

    def open(self, by: str, *, parties: list[dict[str, str]], **kwargs: Any) -> CaseScript:
        with self._now():
            user = self.people[by]
            party_objs = [services.party_create(created_by=user, **p) for p in parties]
            self.case = services.case_open(opened_by=user, parties=party_objs, **kwargs)
        return self

    def doc(
        self, doc_type: str, by: str | None = None, key: str | None = None, **overrides: Any
    ) -> CaseScript:
        """Record ``doc_type``, written by ``by`` or else by whoever the catalogue says writes it (the
        legal unit its 法制审核意见书, the head its 负责人审批表), else the officer."""
        by = by or self._author_of(doc_type)
        with self._now():
            fields = {**example_fields(doc_type), **overrides}
            document = services.document_create(
                case=self._case, created_by=self.people[by], doc_type=doc_type, fields=fields
            )
        self.docs[key or doc_type] = document
        return self

    def _author_of(self, doc_type: str) -> str:
        authors = get_type(doc_type).author_roles
        if authors:
            for key, user in self.people.items():
                if may_author(list(user.roles), authors):
                    return key
        return "officer"

    def sign(
        self, key: str, role: str, name: str, method: str = "handwritten_scan", by: str = "officer"
    ) -> CaseScript:
        with self._now():
            services.document_sign(
                document=self.docs[key],
                recorded_by=self.people[by],
                signer_role=role,
                signer_name=name,
                method=method,
            )
        return self

    def officers_sign(self, key: str) -> CaseScript:
        for who in ("officer", "officer2"):
            user = self.people[who]
            self.sign(key, "officer", user.display_name, "electronic", by=who)
        return self

    def refuse(self, key: str, role: str, name: str, reason: str) -> CaseScript:
        with self._now():
            services.document_refusal_record(
                document=self.docs[key],
                recorded_by=self.people["officer"],
                refuser_role=role,
                refuser_name=name,
                reason=reason,
                second_officer=self.people["officer2"],
            )
        return self

    def approve(
        self, kind: str, by: str, opinion: str, decision: str = "approve", doc: str | None = None
    ) -> CaseScript:
        with self._now():
            services.approval_record(
                case=self._case,
                actor=self.people[by],
                kind=kind,
                decision=decision,
                opinion=opinion,
                document=self.docs.get(doc) if doc else None,
            )
        return self

    def move(self, to_stage: str, by: str = "officer", reason: str = "") -> CaseScript:
        with self._now():
            services.case_transition(case=self._case, by=self.people[by], to_stage=to_stage, reason=reason)
        return self

    def archive(self, notes: str, *, compiler: str = "archivist", checker: str = "archivist2") -> CaseScript:
        """File the closed case as the archivists do: the 立卷人 writes the 备考表 and signs the case
        file, an hour later a second archivist checks and signs it; that sign-off, never a plain stage
        move, archives the case."""
        with self._now():
            archive.case_file_draft_save(case=self._case, by=self.people[compiler], notes=notes)
            archive.case_file_compile(case=self._case, by=self.people[compiler])
        self.later(hours=1)
        with self._now():
            archive.case_file_sign(case=self._case, by=self.people[checker])
        return self

    def media(
        self,
        title: str,
        activity: str,
        *,
        seconds: int = 2,
        captured_hours_ago: int = 3,
        link: str | None = None,
        device_no: str = "DSJ-001",
    ) -> CaseScript:
        data = _silence_wav(seconds, seed=zlib.crc32(f"{title}{self.at.isoformat()}".encode()) & 0xFFFF)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "clip.wav"
            path.write_bytes(data)
            blob = blob_store().put_file(path)
        start = self.at - timedelta(hours=captured_hours_ago)
        officer, officer2 = self.people["officer"], self.people["officer2"]
        with self._now():
            media_record_create(
                case=self._case,
                uploaded_by=officer,
                sha256=blob.sha256,
                size=blob.size,
                storage_key=blob.key,
                kind="audio",
                title=title,
                activity=activity,
                content_type="audio/wav",
                original_filename=f"{device_no}_{start:%Y%m%d_%H%M%S}.wav",
                device_no=device_no,
                officers=[officer.display_name, officer2.display_name],
                location=self._case.summary[:60],
                captured_start=start,
                captured_end=start + timedelta(seconds=seconds),
                linked_documents=[self.docs[link]] if link else [],
            )
        return self
