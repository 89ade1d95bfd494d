from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdmissionsConfig(AppConfig):
    name = "admissions"
    verbose_name = _("学员与招录")

    def ready(self):
        from admissions.selectors.places import held_by_quota
        from bases.services.quotas import register_held_places

        register_held_places(held_by_quota)
