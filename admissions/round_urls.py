from django.urls import path

from admissions import views_rounds as views

urlpatterns = [
    path("office/rounds/<int:round_number>/", views.round_candidates, name="round-candidates"),
    path("office/rounds/<int:round_number>/publish/", views.round_publish, name="round-publish"),
    path("office/rounds/<int:round_number>/propose/", views.round_propose_ranked, name="round-propose-ranked"),
    path("office/rounds/<int:round_number>/scores/export/", views.round_scores_export, name="round-scores-export"),
    path("office/rounds/<int:round_number>/scores/import/", views.round_scores_import, name="round-scores-import"),
    path(
        "office/rounds/applications/<int:pk>/qualification/",
        views.round_qualification,
        name="round-qualification",
    ),
    path("office/rounds/assessments/<int:pk>/scores/", views.round_scores, name="round-scores"),
    path("office/rounds/assessments/<int:pk>/decision/", views.round_decision, name="round-decision"),
    path("office/publicity/", views.publicity_manage, name="publicity-manage"),
    path("office/publicity/objections/<int:pk>/handle/", views.objection_handle, name="objection-handle"),
    path("office/publicity/objections/<int:pk>/duplicates/", views.objection_duplicates, name="objection-duplicates"),
    path("office/round2/invite/", views.round2_invite, name="round2-invite"),
    path("office/round2/invite/send/", views.round2_invite_send, name="round2-invite-send"),
]
