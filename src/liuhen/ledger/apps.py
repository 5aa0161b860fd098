from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_key(sender, **kwargs) -> None:  # type: ignore[no-untyped-def]
    from liuhen.ledger.keys import ensure_signer

    ensure_signer()


class LedgerConfig(AppConfig):
    name = "liuhen.ledger"
    label = "ledger"
    verbose_name = "防篡改日志"

    def ready(self) -> None:
        post_migrate.connect(_ensure_key, sender=self, dispatch_uid="liuhen.ledger.ensure_key")
