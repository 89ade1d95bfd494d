from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicyConfig(AppConfig):
    name = "policy"
    verbose_name = _("招录政策与日程")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from policy.models import Campaign
        from policy.selectors import forget_current_campaign

        post_save.connect(forget_current_campaign, sender=Campaign, dispatch_uid="forget-current-campaign-saved")
        post_delete.connect(forget_current_campaign, sender=Campaign, dispatch_uid="forget-current-campaign-deleted")
