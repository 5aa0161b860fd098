"""Audio/video records (音像记录) and what belongs to them: their links to cases and documents, intake,
recording devices and interruptions. ``evidence`` owns A/V end to end: models, services, selectors.

Record tables (``MediaRecord``, ``MediaAssignment``, ``MediaDocumentLink``, ``MediaIntake``,
``DeviceEvent``, ``Interruption``) are append-only: database triggers reject UPDATE and DELETE (installed
by the migrations that made the tables: ``cases`` 0002/0004/0011 for the A/V tables, which keep their
``cases_`` names from before they moved here, and ``evidence`` 0002 for the rest). ``Device`` and
``AgencyMediaSettings`` are current-state tables; every change to a device is a ``DeviceEvent``
plus a ledger entry, and the device row only caches the state those events lead to.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from liuhen.evidence.device_states import DEVICE_EVENT_LABELS, DEVICE_STATUS_LABELS

INTERRUPTION_REASONS = [
    ("device_fault", "设备故障"),
    ("battery", "电量耗尽"),
    ("storage", "存储空间不足"),
    ("weather", "天气原因"),
    ("obstruction", "当事人阻挠"),
    ("other", "其他"),
]


class MediaRecord(models.Model):
    """音像记录: metadata, content hash and the stored file's reference. Never altered."""

    class Kind(models.TextChoices):
        PHOTO = "photo", "照片"
        AUDIO = "audio", "录音"
        VIDEO = "video", "录像"
        OTHER = "other", "其他文件"

    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="media",
        help_text="空：入库时未关联案件（如执法记录仪整机导入），之后以 MediaAssignment 关联",
    )
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="media")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    activity = models.CharField(max_length=32, blank=True)
    title = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.BigIntegerField()
    content_type = models.CharField(max_length=100, blank=True)
    original_filename = models.CharField(max_length=255, blank=True)
    storage_key = models.CharField(max_length=255)
    device_no = models.CharField(max_length=64, blank=True)
    officers = models.JSONField(default=list)
    location = models.CharField(max_length=200, blank=True)
    captured_start = models.DateTimeField(null=True, blank=True)
    captured_end = models.DateTimeField(null=True, blank=True)
    remote_work = models.BooleanField(default=False, help_text="连续、异地或边远地区执法")
    returned_at = models.DateTimeField(null=True, blank=True)
    linked_documents = models.JSONField(default=list, help_text="ids of text records of the same step")
    confidential = models.BooleanField(default=False)
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        db_table = "cases_mediarecord"  # kept from when cases owned it: the append-only trigger is on it
        verbose_name = "音像记录"
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title


class MediaAssignment(models.Model):
    """Links an A/V record to a case after it was stored (footage ingested from a camera before anyone
    knew which case it belongs to, or footage that also covers another case). Never altered: a wrong
    link is withdrawn by another row whose ``withdraws`` points at it, with who, when and why."""

    media = models.ForeignKey(MediaRecord, on_delete=models.PROTECT, related_name="assignments")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="media_assignments")
    activity = models.CharField(max_length=32, blank=True, help_text="所记录的执法环节")
    linked_documents = models.JSONField(default=list, help_text="ids of text records of the same step")
    withdraws = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="withdrawn_by"
    )
    reason = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        db_table = "cases_mediaassignment"
        verbose_name = "音像记录关联案件"
        ordering = ["at", "id"]
        # a case's links, without scanning every link of every case ("withdraws IS NULL" is most rows)
        indexes = [models.Index(fields=["case", "withdraws"], name="mediaassign_case_withdraws")]

    def __str__(self) -> str:
        verb = "withdraws" if self.withdraws_id else "assigns"
        return f"{verb} media {self.media_id} → case {self.case_id}"


class MediaDocumentLink(models.Model):
    """Ties an A/V record to text records (文书) of the same step after it was stored: the officer who
    did not tick the document at upload links it later, and the rules on media→document links
    (告知录音录像, 同一环节的文书) count it from then on.

    Its own record type rather than another :class:`MediaAssignment` row: an assignment answers "which
    case does this footage belong to" and there is at most one live assignment per footage and case
    (a second one is refused, and the case's footage, the retention lock and the 待关联 list are read
    from them); footage uploaded straight to its case has no assignment at all. Linking documents
    changes none of that, so it must not look like a second assignment. Never altered: a wrong link is
    withdrawn by another row whose ``withdraws`` points at it, with who, when and why."""

    media = models.ForeignKey(MediaRecord, on_delete=models.PROTECT, related_name="document_links")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="media_document_links")
    documents = models.JSONField(default=list, help_text="ids of text records of the same step")
    withdraws = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="withdrawn_by"
    )
    reason = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        db_table = "cases_mediadocumentlink"
        verbose_name = "音像记录关联文书"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        verb = "withdraws" if self.withdraws_id else "links"
        return f"{verb} media {self.media_id} → documents {self.documents}"


class AgencyMediaSettings(models.Model):
    """Per-agency limits for A/V uploads; an agency without a row uses the site defaults."""

    agency = models.OneToOneField("accounts.Agency", on_delete=models.CASCADE, related_name="media_settings")
    max_upload_bytes = models.BigIntegerField(help_text="单个音像文件的最大字节数")
    upload_deadline_hours = models.PositiveIntegerField(default=24, help_text="上传时限（小时，R3.5）")

    class Meta:
        verbose_name = "音像上传设置"

    def __str__(self) -> str:
        return f"{self.agency} ≤ {self.max_upload_bytes} B"


class MediaIntake(models.Model):
    """What the server established when a media file arrived: probe results and flags. Never altered."""

    class DeviceFlag(models.TextChoices):
        OK = "", "已登记设备"
        NONE = "no_device", "未标注设备"
        UNKNOWN = "unknown_device", "未登记设备"
        RETIRED = "retired_device", "已报废设备"

    media = models.OneToOneField(MediaRecord, on_delete=models.PROTECT, related_name="intake")
    upload_id = models.CharField(max_length=32, blank=True, db_index=True)
    probe = models.JSONField(help_text="liuhen.media.probe() result")
    format_flagged = models.BooleanField(help_text="格式无法识别，按原样保存，待人工查看")
    poster_sha256 = models.CharField(max_length=64, blank=True)
    device_flag = models.CharField(max_length=16, choices=DeviceFlag.choices, blank=True)
    late_cause = models.TextField(blank=True, help_text="逾期上传原因（上传人填写）")
    received_at = models.DateTimeField()

    class Meta:
        verbose_name = "音像入库记录"
        constraints = [
            models.UniqueConstraint(
                fields=["upload_id"], condition=~models.Q(upload_id=""), name="intake_upload_id_unique"
            )
        ]

    def __str__(self) -> str:
        return f"intake of media {self.media_id}"


class Device(models.Model):
    """音像记录设备: its current state, derived from its events (the events are the record)."""

    class Kind(models.TextChoices):
        BODY_CAMERA = "body_camera", "执法记录仪"
        CAMERA = "camera", "照相机/摄像机"
        RECORDER = "recorder", "录音笔"
        DRONE = "drone", "无人机"
        OTHER = "other", "其他"

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="devices")
    number = models.CharField(max_length=64, help_text="设备编号")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    model_name = models.CharField(max_length=100, blank=True)
    unit = models.ForeignKey("accounts.OrgUnit", on_delete=models.PROTECT, null=True, blank=True)
    custodian = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=16, choices=list(DEVICE_STATUS_LABELS.items()))
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    registered_at = models.DateTimeField()

    class Meta:
        verbose_name = "音像记录设备"
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["agency", "number"], name="device_number_per_agency")]

    def __str__(self) -> str:
        return self.number


class DeviceEvent(models.Model):
    """One event in a device's life: registration, hand-out, return, check, fault, repair, retirement."""

    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=16, choices=list(DEVICE_EVENT_LABELS.items()))
    status_after = models.CharField(max_length=16, choices=list(DEVICE_STATUS_LABELS.items()))
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    battery_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    free_storage_mb = models.PositiveIntegerField(null=True, blank=True)
    check_passed = models.BooleanField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = "设备事件"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.device} {self.kind}"


class Interruption(models.Model):
    """音像记录中断 (R3.4): reason and times, explained by a spoken clip or a statement signed by two."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="av_interruptions")
    reason = models.CharField(max_length=16, choices=INTERRUPTION_REASONS)
    detail = models.TextField(blank=True)
    device_no = models.CharField(max_length=64, blank=True)
    interrupted_at = models.DateTimeField()
    resumed_at = models.DateTimeField(null=True, blank=True, help_text="空：未能恢复记录")
    explanation_media = models.ForeignKey(
        MediaRecord, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    statement = models.ForeignKey(
        "cases.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = "音像记录中断"
        ordering = ["interrupted_at", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.reason} @ {self.interrupted_at}"
