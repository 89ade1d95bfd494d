from django.urls import path

from bases import api, api_plan

urlpatterns = [
    path("training-bases/", api.TrainingBaseList.as_view(), name="api-training-bases"),
    path("plan/", api.PlanList.as_view(), name="api-plan"),
    path("plan/mine/", api.MyPlan.as_view(), name="api-plan-mine"),
    path("plan/export/", api_plan.PlanExport.as_view(), name="api-plan-export"),
    path("plan/import/", api_plan.PlanImport.as_view(), name="api-plan-import"),
    path("brochures/", api.BrochureList.as_view(), name="api-brochures"),
    path("brochures/draft/", api.BrochureDraft.as_view(), name="api-brochure-draft"),
    path("brochures/<int:pk>/", api.BrochureDetail.as_view(), name="api-brochure"),
    path("brochure-versions/<int:pk>/", api.BrochureVersionDetail.as_view(), name="api-brochure-version"),
    path("brochure-versions/<int:pk>/gaps/", api.BrochureVersionGaps.as_view(), name="api-brochure-version-gaps"),
    path("brochure-versions/<int:pk>/submit/", api.BrochureVersionSubmit.as_view(), name="api-brochure-version-submit"),
    path(
        "brochure-versions/<int:pk>/approve/",
        api.BrochureVersionApprove.as_view(),
        name="api-brochure-version-approve",
    ),
    path("brochure-versions/<int:pk>/return/", api.BrochureVersionReturn.as_view(), name="api-brochure-version-return"),
    path(
        "brochure-versions/<int:pk>/publish/",
        api.BrochureVersionPublish.as_view(),
        name="api-brochure-version-publish",
    ),
    path("quota-increases/", api.QuotaIncreaseList.as_view(), name="api-quota-increases"),
    path("quota-increases/<int:pk>/approve/", api.QuotaIncreaseApprove.as_view(), name="api-quota-increase-approve"),
    path("quota-increases/<int:pk>/reject/", api.QuotaIncreaseReject.as_view(), name="api-quota-increase-reject"),
    path("quota-increases/<int:pk>/withdraw/", api.QuotaIncreaseWithdraw.as_view(), name="api-quota-increase-withdraw"),
]
