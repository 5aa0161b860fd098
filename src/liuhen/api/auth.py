"""API authentication: bearer tokens for programs, the session (with CSRF) for the browser."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer
from ninja.security import SessionAuth as _NinjaSessionAuth

from liuhen.accounts.models import ApiToken, User


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
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


class SessionAuth(_NinjaSessionAuth):
    """Django's session; ninja enforces CSRF on unsafe methods for it."""


class AuthedRequest(HttpRequest):
    """A request that passed authentication: ``user`` is a Liuhen user (for type checkers)."""

    user: User  # type: ignore[assignment]
