from django.apps import AppConfig


class GrantsConfig(AppConfig):
    name = "liuhen.grants"
    label = "grants"
    verbose_name = "调阅复制与对外提供"
