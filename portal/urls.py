from django.contrib import admin
from django.contrib.auth.views import LoginView
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from portal import message_api, release_api, views
from portal.context_processors import PLATFORM_NAME
from portal.forms import LoginForm

urlpatterns = [
    path("", include("bases.urls")),
    path("", include("admissions.urls")),
    path("", include("province.urls")),
    path("messages/", views.notification_list, name="notifications"),
    path("messages/read/", views.notification_mark_read, name="notifications-read"),
    path("jobs/<int:pk>/", views.job_detail, name="job"),
    path("jobs/<int:pk>/state/", views.job_state_view, name="job-state"),
    path("jobs/<int:pk>/restart/", views.job_restart, name="job-restart"),
    path("jobs/<int:pk>/result/", views.job_result, name="job-result"),
    path("releases/<int:pk>/", views.release_detail, name="release"),
    path("releases/<int:pk>/confirm/", views.release_confirm, name="release-confirm"),
    path("releases/<int:pk>/undo/", views.release_undo, name="release-undo"),
    path("releases/<int:pk>/cancel/", views.release_cancel, name="release-cancel"),
    # Django's view would name the site after the request's host ("localhost").
    path(
        "accounts/login/",
        LoginView.as_view(authentication_form=LoginForm, extra_context={"site_name": PLATFORM_NAME}),
        name="login",
    ),
    path("accounts/password/sms/", views.password_reset_sms, name="password-reset-sms"),
    path("accounts/password/sms/code/", views.password_reset_sms_code, name="password-reset-sms-code"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("bases.api_urls")),
    path("api/v1/", include("admissions.api_urls")),
    path("api/v1/", include("province.api_urls")),
    path("api/v1/me/messages/", message_api.MyMessages.as_view(), name="api-my-messages"),
    path("api/v1/sms/receipts/", message_api.SmsReceipts.as_view(), name="api-sms-receipts"),
    path("api/v1/releases/", release_api.ReleaseList.as_view(), name="api-releases"),
    path("api/v1/releases/<int:pk>/", release_api.ReleaseDetail.as_view(), name="api-release"),
    path("api/v1/releases/<int:pk>/confirm/", release_api.ReleaseConfirm.as_view(), name="api-release-confirm"),
    path("api/v1/releases/<int:pk>/undo/", release_api.ReleaseUndo.as_view(), name="api-release-undo"),
    path("api/v1/releases/<int:pk>/cancel/", release_api.ReleaseCancel.as_view(), name="api-release-cancel"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The page's script is a file of its own, so the content security policy needs no exception.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("healthz", views.healthz, name="healthz"),
]

handler404 = "portal.api.not_found"
handler500 = "portal.api.server_error"
