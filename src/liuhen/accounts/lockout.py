"""Login throttling: django-axes configured for Liuhen, each lockout and unlock a ledger entry.

An account is locked after ``AXES_FAILURE_LIMIT`` failed logins, an address after
``AXES_ADDRESS_FAILURE_LIMIT`` (higher, so that one office behind NAT is not locked out by one person),
each until ``AXES_COOLOFF_TIME`` has passed since its last counted failure. Axes' backend is first in
``AUTHENTICATION_BACKENDS``, so a locked-out attempt is refused before any password is hashed.

Settings name this module three times: ``AXES_HANDLER`` (:class:`LockoutHandler`), ``AXES_CLIENT_IP_CALLABLE``
(:func:`client_address`) and ``AXES_LOCKOUT_CALLABLE`` (:func:`lockout_response`). Axes imports the
handler before it handles the first failed login, which also connects the ``user_locked_out`` receiver below.
"""

from __future__ import annotations

import ipaddress
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_lockout_parameters
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db import transaction
from django.db.models import Max, Sum
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from liuhen.accounts.models import User
from liuhen.core.errors import NotFound, invalid
from liuhen.ledger.services import ledger_append

ACCOUNT = "account"
ADDRESS = "address"
_PARAMETER_KIND = {"username": ACCOUNT, "ip_address": ADDRESS}


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address: the connection's, unless ``AXES_TRUSTED_PROXY_COUNT`` proxies sit in front.

    Each trusted proxy appends the address it saw to X-Forwarded-For, so with N proxies the client is the
    N-th entry from the right; anything left of it was written by the client and is ignored. A header too
    short or not an address falls back to REMOTE_ADDR.
    """
    remote = _ip_or_none(request.META.get("REMOTE_ADDR", ""))
    hops = settings.AXES_TRUSTED_PROXY_COUNT
    if hops <= 0:
        return remote
    forwarded = [
        hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()
    ]
    if len(forwarded) < hops:
        return remote
    return _ip_or_none(forwarded[-hops]) or remote


def _ip_or_none(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


@dataclass(frozen=True)
class Lockout:
    """What a request is locked out by (account, address or both) and until when."""

    kinds: tuple[str, ...]
    until: datetime | None


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with a limit per address of its own and one transaction per failed login."""

    def user_login_failed(self, sender: Any, credentials: dict, request: Any = None, **kwargs: Any) -> None:
        # One transaction: axes' attempt row and, when this failure locks, the ledger entry written by the
        # user_locked_out receiver (axes sends the signal from inside this call) commit together or not at all.
        with transaction.atomic():
            super().user_login_failed(sender, credentials, request, **kwargs)

    def get_failures(self, request: Any, credentials: dict | None = None) -> int:
        """Failures on the account's scale: an address at its own (higher) limit counts as at the account limit.

        Axes compares this one number with ``AXES_FAILURE_LIMIT``, before authenticating and after a failure.
        """
        failures = self.failures_by_kind(request, credentials)
        address_full = failures.get(ADDRESS, 0) >= settings.AXES_ADDRESS_FAILURE_LIMIT
        return max(failures.get(ACCOUNT, 0), settings.AXES_FAILURE_LIMIT if address_full else 0)

    def failures_by_kind(self, request: Any, credentials: dict | None = None) -> dict[str, int]:
        """Counted failures (those inside the cool-off) of this request's account and of its address."""
        return {
            _PARAMETER_KIND[str(parameter)]: attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for parameter, attempts in self._attempts_by_parameter(request, credentials)
        }

    def lockout(self, request: Any, credentials: dict | None = None) -> Lockout:
        """Which of the account and the address are locked, and when the last of those locks ends."""
        kinds, last_failure = [], None
        for parameter, attempts in self._attempts_by_parameter(request, credentials):
            kind = _PARAMETER_KIND[str(parameter)]
            limit = settings.AXES_FAILURE_LIMIT if kind == ACCOUNT else settings.AXES_ADDRESS_FAILURE_LIMIT
            counted = attempts.aggregate(n=Sum("failures_since_start"), last=Max("attempt_time"))
            if (counted["n"] or 0) >= limit:
                kinds.append(kind)
                last_failure = max(last_failure or counted["last"], counted["last"])
        cool_off = get_cool_off(request)
        until = last_failure + cool_off if last_failure is not None and cool_off is not None else None
        return Lockout(tuple(kinds), until)

    def reset_user_attempts(self, request: Any, credentials: dict | None = None) -> int:
        """After a successful login: clear the account's failures, not every failure from its address."""
        username = get_client_username(request, credentials)
        return self.reset_attempts(username=username) if username else 0

    def _attempts_by_parameter(self, request: Any, credentials: dict | None) -> list[tuple[Any, Any]]:
        parameters = get_lockout_parameters(request, credentials)
        return list(zip(parameters, self.get_user_attempts(request, credentials), strict=True))


# Why the signal and not AXES_LOCKOUT_CALLABLE for the ledger entry: axes sends user_locked_out from
# inside the failed-login handling, which LockoutHandler runs in one transaction with the attempt row, so
# the entry commits with the row that caused it. The lockout callable only builds the response: it runs
# later, outside that transaction, once for every refused request. This is axes' own lockout event, sent
# from one place, not a model-save signal that a bulk update could bypass.
@receiver(user_locked_out)
def _lockout_to_ledger(
    sender: Any, request: Any, username: str | None, ip_address: str | None, **kwargs: Any
) -> None:
    if request is None or request.axes_failures_since_start is None:
        # An attempt refused during a lockout is signalled again without being counted (axes sets the
        # count only for attempts it let through): that lockout already has its entry.
        return
    credentials = getattr(request, "axes_credentials", None)
    lockout = LockoutHandler().lockout(request, credentials)
    lockout_record(
        username=username or "",
        address=ip_address or "",
        kinds=lockout.kinds,
        cool_off=get_cool_off(request) or timedelta(0),
    )


@transaction.atomic
def lockout_record(*, username: str, address: str, kinds: tuple[str, ...], cool_off: timedelta) -> None:
    """The ledger entry of one lockout: the account as typed, the address, what is locked, for how long."""
    user = User.objects.filter(username=username).select_related("agency").first() if username else None
    ledger_append(
        action="login.locked_out",
        agency=user.agency if user is not None else None,
        objects={"user": user.pk} if user is not None else {},
        details={
            "username": username,
            "address": address,
            "locked": list(kinds),
            "cool_off_seconds": int(cool_off.total_seconds()),
        },
    )


@transaction.atomic
def lockout_clear(*, username: str = "", address: str = "", cleared_by: User | None = None) -> int:
    """End the lockout of an account or of an address by removing its failed logins; returns how many.

    Raises NotFound when none are recorded (nothing is locked) and a validation error for a malformed address.
    """
    if bool(username) == bool(address):
        raise invalid("username", "required", "须指定用户名或地址之一")
    if address:
        normalised = _ip_or_none(address)
        if normalised is None:
            raise invalid("address", "invalid", f"不是 IP 地址：{address}")
        address = normalised
    attempts = AccessAttempt.objects.filter(
        **({"username": username} if username else {"ip_address": address})
    )
    failures = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
    if not failures:
        raise NotFound(f"{'用户 ' + username if username else '地址 ' + address} 没有登录失败记录，无需解锁")
    attempts.delete()
    user = User.objects.filter(username=username).select_related("agency").first() if username else None
    ledger_append(
        action="login.unlocked",
        actor=cleared_by,
        agency=user.agency if user is not None else None,
        objects={"user": user.pk} if user is not None else {},
        details={"username": username, "address": address, "failures_cleared": failures},
    )
    return failures


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """The page shown instead of the login form while locked out: Chinese, status 429, and for how long."""
    lockout = LockoutHandler().lockout(request, credentials or getattr(request, "axes_credentials", None))
    now = getattr(request, "axes_attempt_time", None)
    cool_off = get_cool_off(request) or timedelta(0)
    remaining = lockout.until - now if lockout.until is not None and now is not None else cool_off
    context = {
        "account_locked": ACCOUNT in lockout.kinds,
        "address_locked": ADDRESS in lockout.kinds,
        "username": get_client_username(request, credentials),
        "address": getattr(request, "axes_ip_address", None) or "",
        "minutes": max(1, math.ceil(remaining.total_seconds() / 60)),
        "until": lockout.until,
    }
    return render(request, "web/lockout.html", context, status=429)
