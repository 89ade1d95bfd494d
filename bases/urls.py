"""The pages of the bases app: the public directory, plan and brochures, the offices' workspace,
quota increases, scoring formulas, brochure review, and the plan's Excel export and import."""

from django.urls import path

from bases.views import brochures, office, plan_excel, public, scoring

urlpatterns = [
    path("", public.home, name="home"),
    path("bases/", public.directory, name="directory"),
    path("plan/", public.plan_table, name="plan-table"),
    path("workspace/", office.workspace, name="workspace"),
    path("office/", office.office_home, name="office-home"),
    path("formulas/", scoring.formula_list, name="scoring-formulas"),
    path("formulas/<int:pk>/", scoring.formula_page, name="scoring-formula"),
    path("quota-increases/", office.quota_increase_list, name="quota-increases"),
    path("quota-increases/<int:pk>/approve/", office.quota_increase_approve, name="quota-increase-approve"),
    path("quota-increases/<int:pk>/reject/", office.quota_increase_reject, name="quota-increase-reject"),
    path("quota-increases/<int:pk>/withdraw/", office.quota_increase_withdraw, name="quota-increase-withdraw"),
    path("office/brochure/", brochures.brochure_edit, name="brochure-edit"),
    path("province/brochures/", brochures.brochure_review_list, name="brochure-review-list"),
    path("province/brochures/<int:version_pk>/", brochures.brochure_review, name="brochure-review"),
    path("brochures/", brochures.brochure_public_list, name="brochure-public-list"),
    path("brochures/<int:brochure_pk>/", brochures.brochure_public, name="brochure-public"),
    path("brochures/<int:brochure_pk>/pdf/", brochures.brochure_pdf, name="brochure-pdf"),
    path("province/plan/export.xlsx", plan_excel.plan_export, name="plan-export"),
    path("province/plan/import/", plan_excel.plan_import, name="plan-import"),
]
