from django import forms
from django.contrib import admin

from bases.models import Province, Quota, Specialty, SpecialtyBase, TrainingBase
from bases.services.quotas import below_held_message, do_change_capacity, held_places, set_quota
from portal.admin import AuditedAdmin


@admin.register(Province)
class ProvinceAdmin(AuditedAdmin):
    list_display = ["code", "name"]


@admin.register(TrainingBase)
class TrainingBaseAdmin(AuditedAdmin):
    list_display = ["name", "city", "level", "contact_person", "phone_numbers", "qq_groups"]
    list_filter = ["province", "level", "city"]
    search_fields = ["name", "city"]


@admin.register(Specialty)
class SpecialtyAdmin(AuditedAdmin):
    list_display = ["code", "name", "category"]
    list_filter = ["category"]
    search_fields = ["name", "code"]


@admin.register(SpecialtyBase)
class SpecialtyBaseAdmin(AuditedAdmin):
    list_display = ["training_base", "specialty", "capacity"]
    list_filter = ["training_base__province", "specialty"]
    list_select_related = ["training_base", "specialty"]
    search_fields = ["training_base__name", "specialty__name"]

    def save_model(self, request, obj, form, change):
        if change and "capacity" in form.changed_data:
            do_change_capacity(actor=request.user, specialty_base=obj, capacity=obj.capacity, reason="管理后台")
        else:
            super().save_model(request, obj, form, change)


class QuotaAdminForm(forms.ModelForm):
    class Meta:
        model = Quota
        fields = ["campaign", "specialty_base", "places"]

    def clean_places(self):
        # The service checks again under the quota's lock; this turns the usual refusal into a form error.
        places = self.cleaned_data["places"]
        if self.instance.pk:
            held = held_places(Quota.objects.filter(pk=self.instance.pk)).get(self.instance.pk, 0)
            if places < held:
                raise forms.ValidationError(below_held_message(places, held))
        return places


@admin.register(Quota)
class QuotaAdmin(admin.ModelAdmin):
    form = QuotaAdminForm
    list_display = ["specialty_base", "campaign", "places", "capacity"]
    list_filter = ["campaign", "specialty_base__training_base"]
    list_select_related = ["campaign", "specialty_base__training_base", "specialty_base__specialty"]
    readonly_fields = ["capacity"]
    autocomplete_fields = ["specialty_base"]

    def save_model(self, request, obj, form, change):
        set_quota(
            actor=request.user,
            campaign=obj.campaign,
            specialty_base=obj.specialty_base,
            places=obj.places,
            reason="管理后台",
        )

    def has_delete_permission(self, request, obj=None):
        return False
