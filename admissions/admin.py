from django.contrib import admin

from admissions.models import Applicant, Application, DirectEntry, EducationRecord
from portal.admin import AuditedAdmin


class EducationInline(admin.TabularInline):
    model = EducationRecord
    extra = 0


@admin.register(Applicant)
class ApplicantAdmin(AuditedAdmin):
    list_display = ["full_name", "applicant_type", "id_type", "birth_date", "sex", "employer"]
    list_filter = ["applicant_type", "id_type"]
    search_fields = ["full_name", "user__username"]
    raw_id_fields = ["user", "dispatch_training_base", "dispatch_specialty"]
    filter_horizontal = ["held_certificate_specialties"]
    inlines = [EducationInline]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows that change only through their services (pages and API), shown here for reference."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ["applicant", "campaign", "round", "specialty_base", "status", "submitted_at", "ended_at"]
    list_filter = ["campaign", "round", "status"]
    list_select_related = ["applicant", "campaign", "specialty_base__training_base", "specialty_base__specialty"]


@admin.register(DirectEntry)
class DirectEntryAdmin(ReadOnlyAdmin):
    list_display = ["full_name", "kind", "quota", "status", "entered_by", "entered_at"]
    list_filter = ["kind", "status", "campaign"]
    list_select_related = ["quota__specialty_base__training_base", "quota__specialty_base__specialty", "entered_by"]
