from django.apps import AppConfig


class FilereviewConfig(AppConfig):
    name = "liuhen.filereview"
    label = "filereview"
    verbose_name = "案卷评查"
