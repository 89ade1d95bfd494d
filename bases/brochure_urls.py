from django.urls import path

from bases.views import brochures

urlpatterns = [
    path("office/brochure/", brochures.brochure_edit, name="brochure-edit"),
    path("province/brochures/", brochures.brochure_review_list, name="brochure-review-list"),
    path("province/brochures/<int:version_pk>/", brochures.brochure_review, name="brochure-review"),
    path("brochures/", brochures.brochure_public_list, name="brochure-public-list"),
    path("brochures/<int:brochure_pk>/", brochures.brochure_public, name="brochure-public"),
    path("brochures/<int:brochure_pk>/pdf/", brochures.brochure_pdf, name="brochure-pdf"),
]
