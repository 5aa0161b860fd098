from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "liuhen.disclosure"
    label = "disclosure"
    verbose_name = "依申请查阅复制"
