"""What the bases API reads and accepts: training bases, plan rows, brochures and quota
increases. Serializers only parse and present; writes are service calls in bases/api/."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bases.models import (
    Brochure,
    BrochureComment,
    BrochureStatus,
    BrochureVersion,
    Quota,
    QuotaIncrease,
    QuotaIncreaseStatus,
    TrainingBase,
)
from policy.choices import ApplicantType
from policy.rules.brochures import SECTION_KEYS


class TrainingBaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = TrainingBase
        fields = ["id", "name", "city", "level", "contact_person", "phone_numbers", "qq_groups"]


class PlanRowSerializer(serializers.ModelSerializer):
    training_base = serializers.CharField(source="specialty_base.training_base.name")
    city = serializers.CharField(source="specialty_base.training_base.city")
    specialty = serializers.CharField(source="specialty_base.specialty.name")
    specialty_code = serializers.CharField(source="specialty_base.specialty.code")
    is_shortage = serializers.BooleanField()

    class Meta:
        model = Quota
        fields = ["id", "training_base", "city", "specialty", "specialty_code", "places", "capacity", "is_shortage"]


def _enum_schema(choices):
    labels = "\n".join(f"* `{value}` - {label}" for value, label in choices.choices)
    return {"type": "string", "enum": list(choices.values), "description": labels}


# Status fields of different models are all called "status"; named components keep their enums
# apart in the OpenAPI schema.
@extend_schema_field(_enum_schema(BrochureStatus), component_name="BrochureStatus")
class BrochureStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=BrochureStatus.choices, **kwargs)


@extend_schema_field(_enum_schema(QuotaIncreaseStatus), component_name="QuotaIncreaseStatus")
class QuotaIncreaseStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=QuotaIncreaseStatus.choices, **kwargs)


_SECTION_KEYS_TEXT = "、".join(SECTION_KEYS)


class BrochureListSerializer(serializers.ModelSerializer):
    training_base_name = serializers.CharField(source="training_base.name")
    city = serializers.CharField(source="training_base.city")
    campaign_year = serializers.IntegerField(source="campaign.year")
    latest_version_id = serializers.IntegerField(allow_null=True, help_text="最新版本编号")
    latest_version_number = serializers.IntegerField(allow_null=True, help_text="最新版本号")
    latest_status = BrochureStatusField(allow_null=True, help_text="最新版本的状态")
    published_at = serializers.DateTimeField(allow_null=True, help_text="当前发布版本的发布时间")
    has_open_version = serializers.BooleanField(help_text="是否有未完结（草稿、待审核、审核通过未发布）的版本")

    class Meta:
        model = Brochure
        fields = [
            "id",
            "training_base",
            "training_base_name",
            "city",
            "campaign",
            "campaign_year",
            "latest_version_id",
            "latest_version_number",
            "latest_status",
            "published_at",
            "has_open_version",
        ]


class BrochureCommentSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username")

    class Meta:
        model = BrochureComment
        fields = ["section", "text", "author", "created_at"]


class BrochureVersionSerializer(serializers.ModelSerializer):
    status = BrochureStatusField()
    applicant_types = serializers.ListField(child=serializers.ChoiceField(choices=ApplicantType.choices))
    sections = serializers.DictField(child=serializers.CharField(allow_blank=True))
    is_editable = serializers.BooleanField()
    comments = BrochureCommentSerializer(many=True)

    class Meta:
        model = BrochureVersion
        fields = [
            "id",
            "brochure",
            "number",
            "status",
            "is_editable",
            "applicant_types",
            "sections",
            "created_at",
            "submitted_at",
            "decided_at",
            "decision_note",
            "published_at",
            "comments",
        ]


class BrochureDetailSerializer(serializers.ModelSerializer):
    training_base_name = serializers.CharField(source="training_base.name")
    campaign_year = serializers.IntegerField(source="campaign.year")
    versions = BrochureVersionSerializer(many=True, help_text="全部版本，新版本在前")

    class Meta:
        model = Brochure
        fields = ["id", "training_base", "training_base_name", "campaign", "campaign_year", "versions"]


def _check_section_keys(value, allowed):
    unknown = sorted(set(value) - set(allowed))
    if unknown:
        raise serializers.ValidationError(
            _("未知的栏目：%(keys)s（可用栏目：%(allowed)s）")
            % {"keys": "、".join(unknown) or "“”", "allowed": "、".join(key for key in allowed if key)}
        )
    return value


class BrochureDraftInputSerializer(serializers.Serializer):
    """PUT replaces the whole draft; PATCH changes only what it sends (sections are merged)."""

    applicant_types = serializers.ListField(
        child=serializers.ChoiceField(
            choices=ApplicantType.choices, error_messages={"invalid_choice": _l("“{input}”不是有效的招收人员类型。")}
        ),
        help_text="招收人员类型",
    )
    sections = serializers.DictField(
        child=serializers.CharField(allow_blank=True, trim_whitespace=True),
        help_text="栏目内容，键为栏目：" + _SECTION_KEYS_TEXT,
    )

    def validate_sections(self, value):
        return _check_section_keys(value, SECTION_KEYS)


class BrochureApproveInputSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", help_text="审核意见")


class BrochureReturnInputSerializer(serializers.Serializer):
    comments = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        default=dict,
        help_text="按栏目填写的修改意见，键为栏目（"
        + _SECTION_KEYS_TEXT
        + "、applicant_types、plan，空串表示整体意见）",
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", help_text="总体审核意见")


class QuotaIncreaseSerializer(serializers.ModelSerializer):
    training_base = serializers.IntegerField(source="quota.specialty_base.training_base_id")
    training_base_name = serializers.CharField(source="quota.specialty_base.training_base.name")
    specialty = serializers.CharField(source="quota.specialty_base.specialty.name")
    campaign_year = serializers.IntegerField(source="quota.campaign.year")
    quota_places = serializers.IntegerField(source="quota.places", help_text="当前招收计划数")
    quota_capacity = serializers.IntegerField(source="quota.capacity", help_text="专业基地容量")
    requested_by = serializers.CharField(source="requested_by.username")
    decided_by = serializers.CharField(source="decided_by.username", allow_null=True)
    status = QuotaIncreaseStatusField()

    class Meta:
        model = QuotaIncrease
        fields = [
            "id",
            "quota",
            "training_base",
            "training_base_name",
            "specialty",
            "campaign_year",
            "quota_places",
            "quota_capacity",
            "requested_places",
            "reason",
            "requested_by",
            "requested_at",
            "status",
            "granted_places",
            "decided_by",
            "decided_at",
            "decision_reason",
        ]


class QuotaIncreaseRequestSerializer(serializers.Serializer):
    quota = serializers.PrimaryKeyRelatedField(
        queryset=Quota.objects.none(),
        help_text="招收计划编号（本基地的）",
        error_messages={
            "does_not_exist": _l("招收计划 {pk_value} 不存在或不属于本基地。"),
            "incorrect_type": _l("招收计划编号应为整数。"),
        },
    )
    places = serializers.IntegerField(
        min_value=1,
        help_text="申请增加的计划数",
        error_messages={"min_value": _l("申请增加的计划数至少为 {min_value}。")},
    )
    reason = serializers.CharField(help_text="申请理由", error_messages={"blank": _l("请填写申请理由。")})

    def __init__(self, *args, quotas=None, **kwargs):
        super().__init__(*args, **kwargs)
        if quotas is not None:
            self.fields["quota"].queryset = quotas


class QuotaIncreaseApproveSerializer(serializers.Serializer):
    places = serializers.IntegerField(
        min_value=1,
        required=False,
        allow_null=True,
        default=None,
        help_text="批准增加数；缺省为申请数",
        error_messages={"min_value": _l("批准数至少为 {min_value}；不批准请使用“不予批准”。")},
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="", help_text="审批意见")


class QuotaIncreaseRejectSerializer(serializers.Serializer):
    reason = serializers.CharField(
        help_text="不予批准的理由",
        error_messages={"blank": _l("不予批准时请填写理由。"), "required": _l("不予批准时请填写理由。")},
    )


class MyQuotaSerializer(serializers.ModelSerializer):
    training_base = serializers.IntegerField(source="specialty_base.training_base_id")
    training_base_name = serializers.CharField(source="specialty_base.training_base.name")
    specialty = serializers.CharField(source="specialty_base.specialty.name")
    specialty_code = serializers.CharField(source="specialty_base.specialty.code")
    campaign_year = serializers.IntegerField(source="campaign.year")
    pending_increases = serializers.IntegerField(help_text="待审批的计划调整申请数")

    class Meta:
        model = Quota
        fields = [
            "id",
            "specialty_base",
            "training_base",
            "training_base_name",
            "specialty",
            "specialty_code",
            "campaign_year",
            "places",
            "capacity",
            "pending_increases",
        ]
