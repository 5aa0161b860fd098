"""Web pages of issue #14: Publication deadlines and the 双公示 export; the ``publication`` namespace."""


app_name = "publication"

urlpatterns: list = [
    # path("…", view, name="…"),
]
