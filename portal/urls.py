from django.contrib import admin
from django.contrib.auth.views import LoginView
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from portal import views
from portal.context_processors import PLATFORM_NAME
from portal.forms import LoginForm

urlpatterns = [
    path("", include("bases.urls")),
    path("", include("admissions.urls")),
    path("", include("province.urls")),
    path("messages/", views.notification_list, name="notifications"),
    path("messages/read/", views.notification_mark_read, name="notifications-read"),
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
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The page's script is a file of its own, so the content security policy needs no exception.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("healthz", views.healthz, name="healthz"),
]

handler404 = "portal.api.not_found"
handler500 = "portal.api.server_error"
