from django.urls import include, path

urlpatterns = [
    path("", include("bases.office_urls")),
    path("", include("bases.brochure_urls")),
    path("", include("bases.plan_urls")),
]
