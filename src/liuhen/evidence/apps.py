from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "liuhen.evidence"
    label = "evidence"
    verbose_name = "音像证据与设备"
