import logging

from django.apps import AppConfig
from django.db import DatabaseError, transaction

logger = logging.getLogger(__name__)


def _last_login_when_there_is_room(sender, user, **kwargs) -> None:
    """Django's ``update_last_login``, except that a full database does not stop a login: the time
    of the last login is a convenience (verify does not cover it), the login itself is not."""
    from django.contrib.auth.models import update_last_login

    from liuhen.core.diskfull import is_disk_full

    try:
        with transaction.atomic():
            update_last_login(sender, user, **kwargs)
    except DatabaseError as exc:
        if not is_disk_full(exc):
            raise
        logger.warning("last_login of %s not updated: the database is full", user.pk)


class AccountsConfig(AppConfig):
    name = "liuhen.accounts"
    label = "accounts"
    verbose_name = "机构与人员"

    def ready(self) -> None:
        from django.contrib.auth.models import update_last_login
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
        user_logged_in.connect(_last_login_when_there_is_room, dispatch_uid="liuhen_update_last_login")
