from django.urls import include, path

from bench import views

urlpatterns = [
    path("bench/bare/", views.bare, name="bench-bare"),
    path("bench/choose/", views.choose, name="bench-choose"),
    path("bench/write/", views.write, name="bench-write"),
    path("", include("portal.urls")),
]
