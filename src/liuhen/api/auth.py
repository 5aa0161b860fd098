"""API authentication: bearer tokens for programs, the session (with CSRF) for the browser.

Who the caller is, is decided once for every adapter by :mod:`liuhen.accounts.auth`: a request that
presents ``Authorization: Bearer …`` is judged by its token alone, so a bad token is a 401 here."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer
from ninja.security import SessionAuth as _NinjaSessionAuth

from liuhen.accounts.auth import bearer_token, request_caller, token_user
from liuhen.accounts.models import User


class TokenAuth(HttpBearer):
    """ninja's face of :func:`liuhen.accounts.auth.request_caller` for a bearer token (and the OpenAPI
    scheme); the session is left to :class:`SessionAuth`, which checks CSRF."""

    def __call__(self, request: HttpRequest) -> User | None:
        if bearer_token(request) is None:
            return None  # no bearer token: the session may authenticate
        user = request_caller(request).user
        if user is None:
            raise AuthenticationError()  # a bearer token was presented and is not valid: 401
        return user

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        return token_user(request, token)


class SessionAuth(_NinjaSessionAuth):
    """Django's session; ninja enforces CSRF on unsafe methods for it."""


class AuthedRequest(HttpRequest):
    """A request that passed authentication: ``user`` is a Liuhen user (for type checkers)."""

    user: User  # type: ignore[assignment]
