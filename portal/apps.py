from django.apps import AppConfig
from django.conf import settings
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    default = True
    name = "portal"
    verbose_name = _("平台")

    def ready(self):
        from portal import checks  # noqa: F401 - registers the deployment checks

        if settings.DEMO_TODAY:
            from portal.clock import start_demo_clock

            start_demo_clock(settings.DEMO_TODAY)


class PortalAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "portal.admin_site.PortalAdminSite"
