from django.urls import path

from bases import api

urlpatterns = [
    path("training-bases/", api.TrainingBaseList.as_view(), name="api-training-bases"),
    path("plan/", api.PlanList.as_view(), name="api-plan"),
]
