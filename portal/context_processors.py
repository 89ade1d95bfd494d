from django.utils.translation import gettext_lazy as _


def site(request):
    return {"site_name": _("住院医师规范化培训招录平台")}
