"""Who sent a request: an API token (``Authorization: Bearer …``) or the browser's session.

The one decision every adapter shares (the REST API, tus uploads, the log's entry bundles): a request
that presents a bearer token is judged by that token alone. A bad, revoked or inactive user's token is
no user at all, never a fall-through to the session, whose CSRF check would answer a misleading 403 and
which a program holding a stale token did not mean to use. CSRF itself stays with the adapter, which
knows whether the method is unsafe.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

from liuhen.accounts.models import ApiToken, User

SCHEME = "bearer"
UNAUTHENTICATED_MESSAGE = "需要登录或提供有效的 API 令牌（Authorization: Bearer …）"


@dataclass(frozen=True, slots=True)
class Caller:
    """The authenticated user (``None``: nobody) and whether the session, not a token, vouched for them."""

    user: User | None
    via_session: bool


def bearer_token(request: HttpRequest) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header (scheme case-insensitive), else ``None``."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == SCHEME else None


def token_user(request: HttpRequest, token: str) -> User | None:
    """The active user holding the unrevoked ``token``; sets ``request.user`` to them, as a login would."""
    try:
        api_token = ApiToken.objects.select_related("user", "user__agency").get(
            token_sha256=ApiToken.digest(token), revoked_at__isnull=True
        )
    except ApiToken.DoesNotExist:
        return None
    if not api_token.user.is_active:
        return None
    request.user = api_token.user
    return api_token.user


def request_caller(request: HttpRequest) -> Caller:
    """The token's user when a bearer token is presented (``None`` if it is not valid), else the session's."""
    token = bearer_token(request)
    if token is not None:
        return Caller(token_user(request, token), via_session=False)
    user = getattr(request, "user", None)
    if isinstance(user, User) and user.is_authenticated:
        return Caller(user, via_session=True)
    return Caller(None, via_session=False)


def request_user(request: HttpRequest) -> User | None:
    """:func:`request_caller`'s user: who may act, by token or session, or ``None``."""
    return request_caller(request).user
