from django.urls import path

from admissions import views_roster as views

urlpatterns = [
    path("province/roster/", views.roster, name="roster"),
    path("province/roster/publish/", views.roster_publish, name="roster-publish"),
    path("province/roster/roster.csv", views.roster_csv_export, name="roster-csv"),
    path("province/roster/roster.xlsx", views.roster_xlsx_export, name="roster-xlsx"),
    path("province/roster/roster.pdf", views.roster_pdf_export, name="roster-pdf"),
]
