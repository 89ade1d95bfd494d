"""The API routes of the bases app: the public directory and plan, the plan's Excel, brochures and
their review, and quota increases."""

from django.urls import path

from bases.api import brochures, plan, public, quota_increases

urlpatterns = [
    path("training-bases/", public.TrainingBaseList.as_view(), name="api-training-bases"),
    path("plan/", public.PlanList.as_view(), name="api-plan"),
    path("plan/mine/", public.MyPlan.as_view(), name="api-plan-mine"),
    path("plan/export/", plan.PlanExport.as_view(), name="api-plan-export"),
    path("plan/import/", plan.PlanImport.as_view(), name="api-plan-import"),
    path("brochures/", brochures.BrochureList.as_view(), name="api-brochures"),
    path("brochures/draft/", brochures.BrochureDraft.as_view(), name="api-brochure-draft"),
    path("brochures/<int:pk>/", brochures.BrochureDetail.as_view(), name="api-brochure"),
    path("brochure-versions/<int:pk>/", brochures.BrochureVersionDetail.as_view(), name="api-brochure-version"),
    path("brochure-versions/<int:pk>/gaps/", brochures.BrochureVersionGaps.as_view(), name="api-brochure-version-gaps"),
    path(
        "brochure-versions/<int:pk>/submit/",
        brochures.BrochureVersionSubmit.as_view(),
        name="api-brochure-version-submit",
    ),
    path(
        "brochure-versions/<int:pk>/approve/",
        brochures.BrochureVersionApprove.as_view(),
        name="api-brochure-version-approve",
    ),
    path(
        "brochure-versions/<int:pk>/return/",
        brochures.BrochureVersionReturn.as_view(),
        name="api-brochure-version-return",
    ),
    path(
        "brochure-versions/<int:pk>/publish/",
        brochures.BrochureVersionPublish.as_view(),
        name="api-brochure-version-publish",
    ),
    path("quota-increases/", quota_increases.QuotaIncreaseList.as_view(), name="api-quota-increases"),
    path(
        "quota-increases/<int:pk>/approve/",
        quota_increases.QuotaIncreaseApprove.as_view(),
        name="api-quota-increase-approve",
    ),
    path(
        "quota-increases/<int:pk>/reject/",
        quota_increases.QuotaIncreaseReject.as_view(),
        name="api-quota-increase-reject",
    ),
    path(
        "quota-increases/<int:pk>/withdraw/",
        quota_increases.QuotaIncreaseWithdraw.as_view(),
        name="api-quota-increase-withdraw",
    ),
]
