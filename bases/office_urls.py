from django.urls import path

from bases.views import office

urlpatterns = [
    path("workspace/", office.workspace, name="workspace"),
    path("office/", office.office_home, name="office-home"),
    path("office/weights/", office.quota_weights, name="quota-weights"),
    path("quota-increases/", office.quota_increase_list, name="quota-increases"),
    path("quota-increases/<int:pk>/approve/", office.quota_increase_approve, name="quota-increase-approve"),
    path("quota-increases/<int:pk>/reject/", office.quota_increase_reject, name="quota-increase-reject"),
    path("quota-increases/<int:pk>/withdraw/", office.quota_increase_withdraw, name="quota-increase-withdraw"),
]
