from django.urls import path

from bases.views import plan_excel

urlpatterns = [
    path("province/plan/export.xlsx", plan_excel.plan_export, name="plan-export"),
    path("province/plan/import/", plan_excel.plan_import, name="plan-import"),
]
