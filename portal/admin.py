from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _

from portal.audit import record_event
from portal.models import AuditEvent, Delivery, Notification, User
from portal.privacy import mask_id_number, mask_phone

_MASKED = {"id_number": mask_id_number, "mobile": mask_phone, "password": lambda value: "***"}


def _snapshot(obj):
    values = {key: str(value) if value is not None else None for key, value in model_to_dict(obj).items()}
    return {key: _MASKED[key](value) if key in _MASKED and value else value for key, value in values.items()}


class AuditedAdmin(admin.ModelAdmin):
    """Admin edits are state changes too: each save and delete writes an audit event."""

    def save_model(self, request, obj, form, change):
        before = _snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        action = f"{obj._meta.model_name}.{'change' if change else 'create'}"
        record_event(
            actor=request.user, action=action, obj=obj, before=before, after=_snapshot(obj), reason=_("管理后台")
        )

    def delete_model(self, request, obj):
        record_event(
            actor=request.user,
            action=f"{obj._meta.model_name}.delete",
            obj=obj,
            before=_snapshot(obj),
            reason=_("管理后台"),
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    list_display = ["username", "email", "role", "province", "training_base", "specialty_base", "is_active"]
    list_filter = ["role", "province", "is_active"]
    list_select_related = ["province", "training_base", "specialty_base__specialty"]
    autocomplete_fields = ["training_base", "specialty_base"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("角色与范围"), {"fields": ("role", "province", "training_base", "specialty_base", "organization")}),
    )


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "actor_label", "action", "object_repr", "province", "training_base", "reason"]
    list_filter = ["action", "province"]
    search_fields = ["actor_label", "object_repr", "action", "reason"]
    date_hierarchy = "occurred_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    readonly_fields = [field.name for field in Delivery._meta.fields if field.name != "id"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "subject", "read_at"]
    list_filter = ["kind"]
    raw_id_fields = ["recipient"]
    inlines = [DeliveryInline]
