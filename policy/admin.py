from django.contrib import admin

from policy.models import CalendarYear, Campaign, Sanction, WorkingDayOverride
from portal.admin import AuditedAdmin


@admin.register(Campaign)
class CampaignAdmin(AuditedAdmin):
    list_display = ["title", "province", "year", "round1_opens", "round1_closes", "round2_opens", "round2_closes"]
    list_filter = ["province"]
    filter_horizontal = ["shortage_specialties"]


class WorkingDayOverrideInline(admin.TabularInline):
    model = WorkingDayOverride
    extra = 0


@admin.register(CalendarYear)
class CalendarYearAdmin(AuditedAdmin):
    """The State Council's list for a year the package lacks is entered here (no province); the
    provincial offices enter their own at /province/calendar/."""

    list_display = ["year", "province", "declared_complete_at", "declared_by"]
    list_filter = ["province"]
    readonly_fields = ["declared_by"]
    inlines = [WorkingDayOverrideInline]


@admin.register(Sanction)
class SanctionAdmin(AuditedAdmin):
    list_display = ["full_name", "kind", "campaign_year", "province", "decided_at"]
    list_filter = ["kind", "province", "campaign_year"]
    search_fields = ["full_name", "id_number"]
