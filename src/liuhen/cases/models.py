"""Cases and their records.

The record tables (documents, signatures, refusals, amendments, approvals, transitions, media records)
are append-only: database triggers reject UPDATE and DELETE (see the ``append_only`` migration), foreign
keys to them are ``PROTECT``, and corrections are new rows that point at what they correct.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from liuhen.catalogue import versions as document_versions
from liuhen.core import codes
from liuhen.core.stages import PROCEDURE_LABELS, STAGE_LABELS, is_read_only

STAGE_CHOICES = list(STAGE_LABELS.items())
PROCEDURE_CHOICES = list(PROCEDURE_LABELS.items())
INITIATION_KIND_CHOICES = list(codes.INITIATION_KINDS)
SIGNATURE_METHOD_CHOICES = list(codes.SIGNATURE_METHODS)
SIGNER_ROLE_CHOICES = list(codes.SIGNER_ROLES)
APPROVAL_DECISION_CHOICES = list(codes.APPROVAL_DECISIONS)
CASE_FLAG_CHOICES = list(codes.CASE_FLAGS)


class Party(models.Model):
    """当事人: a person or an organisation. ID numbers are personal data: masked unless permitted."""

    class Kind(models.TextChoices):
        PERSON = "person", "自然人"
        ORGANISATION = "organisation", "法人或其他组织"

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="parties")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    name = models.CharField(max_length=200)
    id_type = models.CharField(max_length=32, blank=True, help_text="居民身份证 / 统一社会信用代码 …")
    id_number = models.CharField(max_length=64, blank=True)
    legal_representative = models.CharField(max_length=64, blank=True)
    address = models.CharField(max_length=300, blank=True)
    phone = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "当事人"

    def __str__(self) -> str:
        return self.name

    @property
    def id_number_masked(self) -> str:
        n = self.id_number
        if len(n) <= 6:
            return "*" * len(n)
        return f"{n[:3]}{'*' * (len(n) - 7)}{n[-4:]}"


class Case(models.Model):
    """案件: one enforcement matter, from initiation to archive."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="cases")
    unit = models.ForeignKey("accounts.OrgUnit", on_delete=models.PROTECT, null=True, related_name="cases")
    case_no = models.CharField(max_length=64)
    year = models.PositiveSmallIntegerField()
    seq = models.PositiveIntegerField()
    procedure = models.CharField(max_length=16, choices=PROCEDURE_CHOICES)
    initiation_kind = models.CharField(max_length=16, choices=INITIATION_KIND_CHOICES)
    cause = models.CharField(max_length=200, help_text="案由")
    summary = models.TextField(blank=True, help_text="基本案情")
    source = models.CharField(max_length=200, blank=True, help_text="案件来源")
    emergency_start = models.BooleanField(default=False)
    emergency_started_at = models.DateTimeField(null=True, blank=True)
    is_real_name_complaint = models.BooleanField(default=False)
    confidential = models.BooleanField(default=False, help_text="涉及国家秘密、商业秘密或个人隐私")
    flags = models.JSONField(default=list)
    stage = models.CharField(max_length=24, choices=STAGE_CHOICES, default="initiation")
    parties = models.ManyToManyField(Party, related_name="cases")
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="handled_cases"
    )
    opened_at = models.DateTimeField()
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    enforcement_ended_at = models.DateTimeField(null=True, blank=True, help_text="执法行为终结之日")
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "案件"
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "case_no"], name="case_no_unique_per_agency"),
            models.UniqueConstraint(fields=["agency", "year", "seq"], name="case_seq_unique_per_agency_year"),
        ]

    def __str__(self) -> str:
        return self.case_no

    @property
    def stage_label(self) -> str:
        return STAGE_LABELS.get(self.stage, self.stage)

    @property
    def procedure_label(self) -> str:
        return PROCEDURE_LABELS.get(self.procedure, self.procedure)

    @property
    def read_only(self) -> bool:
        """Archived: no new record, no change (:func:`liuhen.core.stages.is_read_only`)."""
        return is_read_only(self.stage)


class StageTransition(models.Model):
    """A move of a case from one stage to another: who, when, why; overrides are recorded for ever."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="transitions")
    from_stage = models.CharField(max_length=24, choices=STAGE_CHOICES)
    to_stage = models.CharField(max_length=24, choices=STAGE_CHOICES)
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(blank=True)
    override = models.BooleanField(default=False)
    overridden_findings = models.JSONField(default=list)

    class Meta:
        verbose_name = "阶段流转"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.from_stage}→{self.to_stage}"


class Document(models.Model):
    """文书: a typed text record. Its fields are validated against the catalogue; never edited."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    doc_type = models.CharField(max_length=48, db_index=True)
    number = models.CharField(max_length=64, blank=True, help_text="文号")
    fields = models.JSONField()
    body_sha256 = models.CharField(max_length=64)
    stage = models.CharField(max_length=24, choices=STAGE_CHOICES)
    confidential = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "文书"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.doc_type} #{self.pk}"

    def versions(self) -> list[document_versions.Version]:
        """The document as created and after each amendment, oldest first: fields, body and SHA-256
        (replayed by :mod:`liuhen.catalogue.versions`; uses the ``amendments`` prefetch when there is one)."""
        return document_versions.versions(
            doc_type=self.doc_type,
            case_no=self.case.case_no,
            number=self.number,
            fields=self.fields,
            amendment_changes=[a.changes for a in self.amendments.all()],
        )


class Signature(models.Model):
    """A signature on a document: who, in what role, how, when (R2.2, R2.4)."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="signatures")
    signer_role = models.CharField(max_length=16, choices=SIGNER_ROLE_CHOICES)
    signer_name = models.CharField(max_length=64)
    signer_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    method = models.CharField(max_length=20, choices=SIGNATURE_METHOD_CHOICES)
    cross_page_seal = models.BooleanField(default=False, help_text="骑缝手印/骑缝章")
    signed_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = "签名"
        ordering = ["signed_at", "id"]

    def __str__(self) -> str:
        return f"{self.signer_name} ({self.signer_role})"


class SignatureRefusal(models.Model):
    """Refusal to sign, noted on the document and co-signed by two officers (xinle-fg§14)."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="refusals")
    refuser_role = models.CharField(max_length=16, choices=SIGNER_ROLE_CHOICES)
    refuser_name = models.CharField(max_length=64)
    reason = models.TextField()
    noted_at = models.DateTimeField()
    cosigner_1 = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cosigner_2 = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = "拒绝签名记录"

    def __str__(self) -> str:
        return f"{self.refuser_name} refused"


class Amendment(models.Model):
    """A correction of a document that keeps the original: what changed, why, by whom, acknowledged how."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="amendments")
    changes = models.JSONField(help_text='{"field": {"from": old, "to": new}}')
    reason = models.TextField()
    amended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    amended_at = models.DateTimeField()
    party_ack_method = models.CharField(max_length=20, choices=SIGNATURE_METHOD_CHOICES, blank=True)
    party_ack_name = models.CharField(max_length=64, blank=True)
    body_sha256 = models.CharField(
        max_length=64, help_text="SHA-256 of the document body after this amendment"
    )

    class Meta:
        verbose_name = "更正记录"
        ordering = ["amended_at", "id"]

    def __str__(self) -> str:
        return f"amendment of document {self.document_id}"


class ApprovalStep(models.Model):
    """An internal approval step with its opinion and date (R1.7; dalian-cg§28; xinle-fg§15)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="approvals")
    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, null=True, blank=True, related_name="approvals"
    )
    kind = models.CharField(max_length=32)
    decision = models.CharField(max_length=8, choices=APPROVAL_DECISION_CHOICES)
    opinion = models.TextField()
    decided_at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    actor_role = models.CharField(max_length=16)

    class Meta:
        verbose_name = "审批记录"
        ordering = ["decided_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.decision}"


class SignatureMark(models.Model):
    """What a signer left, kept as an image: a signature drawn on the officer's device (with its strokes,
    so the act of signing is preserved, not only its picture), or a photo of a fingerprint (手印) or a
    seal (印章). Belongs to a document, and to the signature or the amendment (确认更改处) it attests.
    The bytes live in the blob store under their SHA-256, like A/V; the row is never altered."""

    class Kind(models.TextChoices):
        STROKE = "stroke", "手写签名"
        FINGERPRINT = "fingerprint", "手印"
        SEAL = "seal", "印章"

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="marks")
    signature = models.ForeignKey(
        Signature, on_delete=models.PROTECT, null=True, blank=True, related_name="marks"
    )
    amendment = models.ForeignKey(
        Amendment, on_delete=models.PROTECT, null=True, blank=True, related_name="marks"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=32, help_text="from the bytes, never from the uploader")
    storage_key = models.CharField(max_length=255)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    strokes = models.JSONField(
        default=list, blank=True, help_text="kind stroke: [[[x, y, t_ms, pressure], …], …] in image pixels"
    )
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    accuracy_m = models.DecimalField(max_digits=8, decimal_places=1, null=True, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "签名图像"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} mark on document {self.document_id}"


class SignedCopy(models.Model):
    """A photo or scan (JPEG, PNG or PDF) of the paper document signed by hand: paper stays possible.
    ``version`` is the index in :meth:`Document.versions` of the text that was printed and signed."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="signed_copies")
    version = models.PositiveSmallIntegerField(help_text="0 = as created, n = after the n-th amendment")
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=32, help_text="from the bytes, never from the uploader")
    storage_key = models.CharField(max_length=255)
    page_count = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "签字页扫描件"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"signed copy of document {self.document_id}"


class DocumentDraft(models.Model):
    """草稿: a document being written, not yet a record. A WORKING table, not a record table: its rows
    are updated while the officer writes and deleted when the author discards them, so it has no
    append-only trigger, no ledger entries and no tracked state. Nothing here is evidence, and nothing
    reads it but its author and the case's handler (:func:`liuhen.access.scope.drafts`): not the
    timeline, exports, PDFs or compliance. Finalising (定稿) makes the record through
    ``document_create`` (full validation, its ``document.created`` entry) and points
    ``finalised_document`` at it; a finalised draft is no longer edited or discarded."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="drafts")
    doc_type = models.CharField(max_length=48)
    number = models.CharField(max_length=64, blank=True, help_text="文号")
    fields = models.JSONField(default=dict, blank=True, help_text="the fields filled so far, type-checked")
    confidential = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    finalised_document = models.OneToOneField(
        Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "文书草稿"
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return f"draft {self.doc_type} #{self.pk}"

    @property
    def finalised(self) -> bool:
        return self.finalised_document_id is not None
