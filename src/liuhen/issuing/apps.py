from django.apps import AppConfig


class IssuingConfig(AppConfig):
    name = "liuhen.issuing"
    label = "issuing"
    verbose_name = "文书出具"

    def ready(self) -> None:
        from liuhen.issuing import checks  # noqa: F401  (registers the font check)
