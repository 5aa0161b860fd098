"""Web pages of issue #14: spot checks (抽查), the check register and rectifications; the ``spotchecks``
namespace."""

from django.urls import path

from liuhen.web.views import spotchecks as views

app_name = "spotchecks"

urlpatterns = [
    path("spot-checks/", views.check_list, name="list"),
    path("spot-checks/new", views.check_announce, name="announce"),
    path("spot-checks/register/", views.register, name="register"),
    path("spot-checks/register.pdf", views.register_pdf, name="register_pdf"),
    path("spot-checks/assessment/", views.assessment, name="assessment"),
    path("spot-checks/<int:check_id>/", views.check_detail, name="detail"),
    path("spot-checks/<int:check_id>/draw", views.check_draw, name="draw"),
    path("spot-checks/<int:check_id>/judge", views.check_judge, name="judge"),
    path("spot-checks/<int:check_id>/rectify", views.check_rectify, name="rectify"),
    path("rectifications/", views.rectification_list, name="rectifications"),
    path("rectifications/<int:rectification_id>/", views.rectification_detail, name="rectification"),
    path("rectifications/<int:rectification_id>/respond", views.rectification_respond, name="respond"),
    path("rectifications/<int:rectification_id>/review", views.rectification_review, name="review"),
]
