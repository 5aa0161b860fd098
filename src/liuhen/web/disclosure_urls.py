"""Web pages of governed access (issue #13): the ``disclosure`` namespace."""

from django.urls import path  # noqa: F401

app_name = "disclosure"

urlpatterns: list = []
