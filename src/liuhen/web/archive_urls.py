"""The archivist's pages, under their own ``archive`` namespace."""

from django.urls import path

from liuhen.web.views import archive as views
from liuhen.web.views import archive_discs, archive_disposal

app_name = "archive"

urlpatterns = [
    path("archive/", views.queue, name="queue"),
    path("archive/cases/<int:case_id>/", views.case_file, name="case_file"),
    path("archive/cases/<int:case_id>/order", views.reorder, name="reorder"),
    path("archive/cases/<int:case_id>/notes", views.notes, name="notes"),
    path("archive/cases/<int:case_id>/compile", views.compile_sign, name="compile"),
    path("archive/cases/<int:case_id>/sign", views.check_sign, name="sign"),
    path("archive/cases/<int:case_id>/pdf", views.whole_pdf, name="pdf"),
    path("archive/cases/<int:case_id>/package", views.package, name="package"),
    path("archive/cases/<int:case_id>/disc", archive_discs.disc_make, name="disc"),
    path("archive/cases/<int:case_id>/supplements", views.supplement_list, name="supplements"),
    path("archive/cases/<int:case_id>/supplements/add", views.supplement_add, name="supplement_add"),
    path(
        "archive/cases/<int:case_id>/supplements/approve", views.supplement_approve, name="supplement_approve"
    ),
    path("archive/disposal/", archive_disposal.page, name="disposal"),
    path("archive/disposal/propose", archive_disposal.propose, name="disposal_propose"),
    path("archive/disposal/approve", archive_disposal.approve, name="disposal_approve"),
    path("archive/disposal/execute", archive_disposal.execute, name="disposal_execute"),
]
