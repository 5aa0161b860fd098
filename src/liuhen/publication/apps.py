from django.apps import AppConfig


class PublicationConfig(AppConfig):
    name = "liuhen.publication"
    label = "publication"
    verbose_name = "执法公示"
