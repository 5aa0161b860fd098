from django.apps import AppConfig


class IssuingConfig(AppConfig):
    name = "liuhen.issuing"
    label = "issuing"
    verbose_name = "文书出具"
