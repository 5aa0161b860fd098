from django.urls import include, path

from liuhen.api.router import api

# A full disk outside a view (e.g. the session saved after login) is a 507 page, not a 500.
handler500 = "liuhen.web.diskfull_middleware.server_error"

urlpatterns = [
    path("api/", api.urls),
    path("log/", include("liuhen.web.log_urls")),
    path("", include("liuhen.web.evidence_urls")),
    path("", include("liuhen.web.compliance_urls")),
    path("", include("liuhen.web.archive_urls")),
    path("", include("liuhen.web.grants_urls")),
    path("", include("liuhen.web.disclosure_urls")),
    path("", include("liuhen.web.access_log_urls")),
    path("", include("liuhen.web.spotchecks_urls")),
    path("", include("liuhen.web.filereview_urls")),
    path("", include("liuhen.web.stats_urls")),
    path("", include("liuhen.web.publication_urls")),
    path("", include("liuhen.web.urls")),
]
