from django.contrib.auth import views as auth_views
from django.urls import path

from liuhen.web.views import cases, devices, documents, drafts, issuing, media, people, verify

app_name = "web"

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="web/login.html", redirect_authenticated_user=True),
        name="login",
    ),
    path("verify/<str:leaf_hash>", verify.leaf_verify, name="verify"),  # public: the QR code's address
    path("logout/", auth_views.LogoutView.as_view(next_page="web:login"), name="logout"),
    path("", cases.case_list, name="case_list"),
    path("cases/new/", cases.case_new, name="case_new"),
    path("cases/<int:case_id>/", cases.case_detail, name="case_detail"),
    path("cases/<int:case_id>/transitions", cases.transition_add, name="transition_add"),
    path("cases/<int:case_id>/approvals", cases.approval_add, name="approval_add"),
    path("cases/<int:case_id>/media", media.media_add, name="media_add"),
    path("cases/<int:case_id>/media/link", media.media_link, name="media_link"),
    path("media/<int:media_id>/documents", media.media_documents, name="media_documents"),
    path("cases/<int:case_id>/documents/new", documents.document_new, name="document_new"),
    path("cases/<int:case_id>/documents/form", documents.document_form, name="document_form"),
    path("drafts/<int:draft_id>/", drafts.draft_edit, name="draft_edit"),
    path("drafts/<int:draft_id>/discard", drafts.draft_discard_view, name="draft_discard"),
    path("documents/<int:document_id>/sign", documents.document_sign, name="document_sign"),
    path("documents/<int:document_id>/refuse", documents.document_refuse, name="document_refuse"),
    path(
        "documents/<int:document_id>/signed-copies",
        documents.document_signed_copy,
        name="document_signed_copy",
    ),
    path("documents/<int:document_id>/amend", documents.document_amend, name="document_amend"),
    path("documents/<int:document_id>/pdf", issuing.document_pdf_view, name="document_pdf"),
    path("cases/<int:case_id>/stages/<str:stage>/pdf", issuing.stage_pdf_view, name="stage_pdf"),
    path("people/", people.people_list, name="people"),
    path("people/new", people.person_new, name="person_new"),
    path("people/<int:person_id>/", people.person_edit, name="person_edit"),
    path("people/<int:person_id>/active", people.person_active, name="person_active"),
    path("people/<int:person_id>/password", people.person_password, name="person_password"),
    path("units/", people.units, name="units"),
    path("units/<int:unit_id>/rename", people.unit_rename, name="unit_rename"),
    path("agency/", people.agency_settings, name="agency_settings"),
    path("devices/", devices.device_list, name="device_list"),
    path("devices/new/", devices.device_new, name="device_new"),
    path("devices/<int:device_id>/", devices.device_detail, name="device_detail"),
    path("devices/<int:device_id>/events/<str:kind>", devices.device_event_add, name="device_event_add"),
]
