"""Web pages of governed access (issue #13): the ``accesslog`` namespace."""

from django.urls import path  # noqa: F401

app_name = "accesslog"

urlpatterns: list = []
