"""Web pages of governed access (issue #13): the ``accesslog`` namespace."""

from django.urls import path

from liuhen.web.views import access_log

app_name = "accesslog"

urlpatterns = [
    path("access-log/", access_log.page, name="page"),
]
