"""The ``evidence`` namespace outside ninja: the tus endpoint (it streams), the resumable upload page and
待关联音像. The pages are web adapters; the names stay ``evidence:…`` because templates and the isolation
table address them so."""

from django.urls import path

from liuhen.evidence import tus_view
from liuhen.web.views import unassigned, upload

app_name = "evidence"

urlpatterns = [
    path("api/uploads/", tus_view.tus_endpoint, name="tus"),
    path("api/uploads/<str:upload_id>", tus_view.tus_endpoint, name="tus-upload"),
    path("evidence/upload/", upload.upload_page, name="upload-page"),
    path("media/unassigned/", unassigned.unassigned_page, name="unassigned"),
]
