"""调阅复制申请 pages (issue #13): the ``grants`` namespace."""

from django.urls import path

from liuhen.web.views import grants as views

app_name = "grants"

urlpatterns = [
    path("access-requests/", views.request_list, name="list"),
    path("access-requests/new", views.request_new, name="new"),
    path("access-requests/<int:request_id>/", views.request_detail, name="detail"),
    path("access-requests/<int:request_id>/decide", views.request_decide, name="decide"),
    path("access-requests/<int:request_id>/revoke", views.request_revoke, name="revoke"),
    path("access-requests/<int:request_id>/deliver", views.delivery_make, name="deliver"),
    path(
        "access-requests/<int:request_id>/deliveries/<int:delivery_id>",
        views.delivery_download,
        name="delivery",
    ),
]
