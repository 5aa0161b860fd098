"""``/log/``: the C2SP tlog-tiles endpoints (see :mod:`liuhen.web.views.log` for what is public)."""

from django.urls import path

from liuhen.web.views import log as views

app_name = "log"

urlpatterns = [
    path("checkpoint", views.checkpoint, name="checkpoint"),
    path("tile/<path:path>", views.tile, name="tile"),
]
