"""Web pages of governed access (issue #13): the ``disclosure`` namespace — the party-request desk."""

from django.urls import path

from liuhen.web.views import disclosure

app_name = "disclosure"

urlpatterns = [
    path("disclosure-requests/", disclosure.request_list, name="list"),
    path("disclosure-requests/new/", disclosure.request_new, name="new"),
    path("disclosure-requests/<int:request_id>/", disclosure.request_detail, name="detail"),
    path("disclosure-requests/<int:request_id>/decide/", disclosure.request_decide, name="decide"),
    path("disclosure-requests/<int:request_id>/extend/", disclosure.request_extend, name="extend"),
    path("disclosure-requests/<int:request_id>/approve/", disclosure.request_approve, name="approve"),
    path("disclosure-requests/<int:request_id>/redact/", disclosure.request_redact, name="redact"),
    path("disclosure-requests/<int:request_id>/deliver/", disclosure.request_deliver, name="deliver"),
    path("disclosure-requests/<int:request_id>/package/", disclosure.request_package, name="package"),
]
