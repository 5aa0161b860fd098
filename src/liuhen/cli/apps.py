from django.apps import AppConfig


class CliConfig(AppConfig):
    name = "liuhen.cli"
    label = "liuhen_cli"
    verbose_name = "命令行"
