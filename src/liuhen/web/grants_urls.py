"""Web pages of governed access (issue #13): the ``grants`` namespace."""

from django.urls import path  # noqa: F401

app_name = "grants"

urlpatterns: list = []
