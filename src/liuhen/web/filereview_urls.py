"""Web pages of issue #14: Case-file reviews (案卷评查); the ``filereview`` namespace."""

from django.urls import path

from liuhen.web.views import filereview as views

app_name = "filereview"

urlpatterns = [
    path("file-reviews/", views.review_list, name="list"),
    path("file-reviews/new", views.review_new, name="new"),
    path("file-reviews/rates", views.rates, name="rates"),
    path("file-reviews/campaigns/new", views.campaign_new, name="campaign_new"),
    path("file-reviews/campaigns/<int:campaign_id>/", views.campaign_detail, name="campaign"),
    path(
        "file-reviews/campaigns/<int:campaign_id>/report.pdf", views.campaign_report, name="campaign_report"
    ),
    path("file-reviews/<int:review_id>/", views.review_detail, name="detail"),
    path("file-reviews/<int:review_id>/score", views.review_score, name="score"),
    path("file-reviews/<int:review_id>/finalise", views.review_finalise, name="finalise"),
    path("file-reviews/<int:review_id>/correct", views.review_correct, name="correct"),
    path("file-reviews/<int:review_id>/report.pdf", views.review_report, name="report"),
]
