from django.urls import path

from admissions import views_offer as views

urlpatterns = [
    path("me/offers/", views.offers, name="offers"),
    path("me/offers/<int:pk>/confirm/", views.offer_confirm, name="offer-confirm"),
    path("me/offers/<int:pk>/adjust/", views.offer_adjust, name="offer-adjust"),
    path("me/invitations/<int:pk>/accept/", views.invitation_accept, name="offer-invitation-accept"),
    path("me/invitations/<int:pk>/decline/", views.invitation_decline, name="offer-invitation-decline"),
    path("me/notice/<int:admission_pk>/", views.admission_notice, name="admission-notice"),
]
