"""Web pages of issue #14: Spot checks and the check register; the ``spotchecks`` namespace."""


app_name = "spotchecks"

urlpatterns: list = [
    # path("…", view, name="…"),
]
