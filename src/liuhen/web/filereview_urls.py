"""Web pages of issue #14: Case-file reviews (案卷评查); the ``filereview`` namespace."""


app_name = "filereview"

urlpatterns: list = [
    # path("…", view, name="…"),
]
