"""Domain errors. Adapters map them: API → 4xx JSON naming the field and reason; CLI → exit code + one line.

:func:`error_body` is the one JSON error shape every machine-facing answer uses (the REST API, tus,
the 507 for a full disk), so a client parses one thing whichever endpoint refused it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FieldError:
    field: str
    reason: str  # machine-readable: required, invalid, unknown, too_long, not_allowed …
    message: str  # for people (Chinese)

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "reason": self.reason, "message": self.message}


class DomainError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, errors: list[FieldError] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or []


class ValidationFailed(DomainError):
    status = 422
    code = "validation_failed"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class PermissionDenied(DomainError):
    status = 403
    code = "permission_denied"


class Conflict(DomainError):
    """The request is well-formed but not allowed in the current state (e.g. a stage move)."""

    status = 409
    code = "conflict"


def invalid(field: str, reason: str, message: str) -> ValidationFailed:
    return ValidationFailed(f"{field}: {message}", errors=[FieldError(field, reason, message)])


def error_body(code: str, message: str, errors: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """``{"error": code, "message": …, "errors": [{"field", "reason", "message"}, …]}``."""
    return {"error": code, "message": message, "errors": errors or []}
