from django.contrib.admin import AdminSite
from django.utils.translation import gettext_lazy as _


class PortalAdminSite(AdminSite):
    """The admin edits every province's reference data unscoped, so only superusers get in;
    everyone else works through the scoped pages and API."""

    site_header = _("住培招录平台管理后台")
    site_title = _("住培招录平台")

    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser
