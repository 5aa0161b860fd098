from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "liuhen.archive"
    label = "archive"
    verbose_name = "案卷归档"
