"""Web pages of issue #14: Statistics (dashboard, 统计年报); the ``stats`` namespace."""


app_name = "stats"

urlpatterns: list = [
    # path("…", view, name="…"),
]
