from django.urls import include, path

from liuhen.api.router import api

urlpatterns = [
    path("api/", api.urls),
    path("log/", include("liuhen.ledger.urls")),
    path("", include("liuhen.evidence.urls")),
    path("", include("liuhen.compliance.urls")),
    path("", include("liuhen.web.urls")),
]
