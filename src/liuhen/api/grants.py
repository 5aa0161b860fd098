"""API of governed access (issue #13): see the module's routes."""

from ninja import Router

router = Router(tags=["grants"])
