from django.contrib import admin

from admissions.models import Applicant
from portal.admin import AuditedAdmin


@admin.register(Applicant)
class ApplicantAdmin(AuditedAdmin):
    list_display = ["full_name", "id_type", "birth_date", "sex"]
    search_fields = ["full_name"]
    raw_id_fields = ["user"]
