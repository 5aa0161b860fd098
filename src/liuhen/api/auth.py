"""API authentication: bearer tokens for programs, the session (with CSRF) for the browser.

A request that presents ``Authorization: Bearer …`` is judged by its token alone: a bad token is a 401,
never a fall-through to the session (whose CSRF check would answer a misleading 403)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer
from ninja.security import SessionAuth as _NinjaSessionAuth

from liuhen.accounts.models import ApiToken, User


class TokenAuth(HttpBearer):
    def __call__(self, request: HttpRequest) -> User | None:
        scheme = request.headers.get(self.header, "").split(" ", 1)[0]
        if scheme.lower() != self.openapi_scheme:
            return None  # no bearer token: the session may authenticate
        user = super().__call__(request)
        if user is None:
            raise AuthenticationError()  # a bearer token was presented and is not valid: 401
        return user

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
