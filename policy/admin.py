from django.contrib import admin

from policy.models import Campaign, Sanction, WorkingDayOverride
from portal.admin import AuditedAdmin


@admin.register(Campaign)
class CampaignAdmin(AuditedAdmin):
    list_display = ["title", "province", "year", "round1_opens", "round1_closes", "round2_opens", "round2_closes"]
    list_filter = ["province"]
    filter_horizontal = ["shortage_specialties"]


@admin.register(WorkingDayOverride)
class WorkingDayOverrideAdmin(AuditedAdmin):
    list_display = ["date", "is_working_day", "note"]
    date_hierarchy = "date"


@admin.register(Sanction)
class SanctionAdmin(AuditedAdmin):
    list_display = ["full_name", "kind", "campaign_year", "province", "decided_at"]
    list_filter = ["kind", "province", "campaign_year"]
    search_fields = ["full_name", "id_number"]
