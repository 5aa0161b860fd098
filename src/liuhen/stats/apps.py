from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "liuhen.stats"
    label = "stats"
    verbose_name = "执法统计"
