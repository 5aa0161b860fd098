"""Non-API routes of the evidence app: the tus endpoint (outside ninja, it streams) the upload page and 待关联音像."""

from django.urls import path

from liuhen.evidence import assign_views, tus_view, views

app_name = "evidence"

urlpatterns = [
    path("api/uploads/", tus_view.tus_endpoint, name="tus"),
    path("api/uploads/<str:upload_id>", tus_view.tus_endpoint, name="tus-upload"),
    path("evidence/upload/", views.upload_page, name="upload-page"),
    path("media/unassigned/", assign_views.unassigned_page, name="unassigned"),
]
