from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "liuhen.compliance"
    label = "compliance"
    verbose_name = "合规检查"
