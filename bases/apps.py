from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BasesConfig(AppConfig):
    name = "bases"
    verbose_name = _("培训基地与招收计划")

    def ready(self):
        from bases.services.plan_excel import PlanImportRelease
        from portal.releases import register

        register(PlanImportRelease())
