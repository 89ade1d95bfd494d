from django.urls import path

from admissions import views_public as views

urlpatterns = [
    path("publicity/", views.publicity_list_public, name="publicity-list-public"),
    path("publicity/<int:pk>/", views.publicity_public, name="publicity-public"),
    path("publicity/<int:pk>/pdf/", views.publicity_pdf, name="publicity-pdf"),
    path("verify/", views.admission_verify, name="admission-verify"),
]
