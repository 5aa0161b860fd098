from django.apps import AppConfig


class SpotchecksConfig(AppConfig):
    name = "liuhen.spotchecks"
    label = "spotchecks"
    verbose_name = "执法记录抽查与检查台账"
