from django.conf import settings
from django.utils.translation import gettext_lazy as _

PLATFORM_NAME = _("住院医师规范化培训招录平台")


def site(request):
    return {"site_name": PLATFORM_NAME, "demo_today": settings.DEMO_TODAY}
