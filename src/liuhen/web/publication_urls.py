"""Web pages of issue #14: Publication deadlines and the 双公示 export; the ``publication`` namespace."""

from django.urls import path

from liuhen.web.views import publication

app_name = "publication"

urlpatterns = [
    path("publications/", publication.publication_list, name="list"),
    path("publications/record/", publication.publication_record, name="record"),
    path("publications/<int:publication_id>/withdraw/", publication.publication_withdraw, name="withdraw"),
    path("publications/shuanggongshi/", publication.shuanggongshi_export, name="shuanggongshi"),
]
