"""The applicant's own data in the API: what it reads and what it may send. Serializers only parse
and present; every write is a call to admissions.services in admissions/api/applicant.py."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _l
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from admissions.models import (
    Applicant,
    ApplicantDocument,
    Application,
    ApplicationStatus,
    DocumentKind,
    EducationRecord,
)
from admissions.selectors.checklist import missing_items
from admissions.selectors.facts import with_national_cities
from admissions.services.applicants import PROFILE_FIELDS
from bases.api.serializers import PlanRowSerializer
from bases.models import Specialty, SpecialtyBase, TrainingBase
from portal.api import ReasonSerializer


def _enum_schema(choices):
    labels = "\n".join(f"* `{value}` - {label}" for value, label in choices.choices)
    return {"type": "string", "enum": list(choices.values), "description": labels}


# Several models have a "status" or a "kind"; named components keep their enums apart in the schema.
@extend_schema_field(_enum_schema(ApplicationStatus), component_name="ApplicationStatus")
class ApplicationStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=ApplicationStatus.choices, **kwargs)


@extend_schema_field(_enum_schema(DocumentKind), component_name="DocumentKind")
class DocumentKindField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            choices=DocumentKind.choices,
            error_messages={"invalid_choice": _l("“{input}”不是有效的材料类型。")},
            **kwargs,
        )


class MissingSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="缺项键，如 identity、education、id_front")
    label = serializers.CharField(help_text="缺项名称")


class RegisterSerializer(serializers.Serializer):
    login = serializers.CharField(max_length=150, help_text="11位手机号码或电子邮箱；以后用它登录")
    password = serializers.CharField(
        max_length=128, write_only=True, trim_whitespace=False, style={"input_type": "password"}, help_text="密码"
    )
    full_name = serializers.CharField(max_length=60, help_text="姓名")


class ProfileSerializer(serializers.ModelSerializer):
    """The applicant's own profile. The identity number is shown in full: it is the owner's.
    A resident ID card or residence permit fixes the birth date and sex (what is sent for them is
    then ignored); with a travel permit they are entered by hand."""

    login = serializers.CharField(source="user.username", read_only=True, help_text="登录名（手机号码或电子邮箱）")
    held_certificate_specialties = serializers.SlugRelatedField(
        many=True,
        slug_field="code",
        queryset=Specialty.objects.all(),
        required=False,
        help_text="已取得住培合格证书的培训专业代码",
        error_messages={"does_not_exist": _l("培训专业代码“{value}”不存在。")},
    )
    dispatch_training_base = serializers.PrimaryKeyRelatedField(
        queryset=TrainingBase.objects.all(),
        allow_null=True,
        required=False,
        help_text="委托单位指定的培训基地编号（仅外单位委托培养）",
        error_messages={"does_not_exist": _l("培训基地 {pk_value} 不存在。")},
    )
    dispatch_specialty = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Specialty.objects.all(),
        allow_null=True,
        required=False,
        help_text="委托单位指定的培训专业代码（仅外单位委托培养）",
        error_messages={"does_not_exist": _l("培训专业代码“{value}”不存在。")},
    )
    missing = serializers.SerializerMethodField(help_text="填报志愿前尚需补充的信息；为空表示已齐全")

    class Meta:
        model = Applicant
        fields = ["id", "login", *PROFILE_FIELDS, "held_certificate_specialties", "missing"]
        read_only_fields = ["id"]
        validators = []  # the unique identity document is the service's to check (409 with a message)

    @extend_schema_field(MissingSerializer(many=True))
    def get_missing(self, applicant):
        return MissingSerializer(missing_items(applicant), many=True).data


class EducationSerializer(serializers.ModelSerializer):
    full_time = serializers.BooleanField(default=True, help_text="是否全日制")

    class Meta:
        model = EducationRecord
        fields = ["id", "school", "major", "major_category", "degree_level", "full_time", "graduation_date"]
        read_only_fields = ["id"]


class DocumentSerializer(serializers.ModelSerializer):
    kind = DocumentKindField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    download_url = serializers.SerializerMethodField(help_text="下载地址（仅本人可用）")

    class Meta:
        model = ApplicantDocument
        fields = ["id", "kind", "kind_label", "original_name", "size", "uploaded_at", "download_url"]

    def get_download_url(self, document) -> str:
        return reverse("api-my-document-file", args=[document.pk])


class DocumentUploadSerializer(serializers.Serializer):
    kind = DocumentKindField(help_text="材料类型")
    # Emptiness, size and type are judged by the service, by the content, with its own messages.
    file = serializers.FileField(
        allow_empty_file=True,
        help_text="PDF、JPEG 或 PNG，不超过 10 MB；按文件内容判断类型",
        error_messages={"required": _l("请选择要上传的文件。"), "invalid": _l("未收到文件，请重新选择后上传。")},
    )


class EligibilityRowSerializer(PlanRowSerializer):
    specialty_base = serializers.IntegerField(source="specialty_base_id", help_text="专业基地编号（填报志愿时使用）")
    eligible = serializers.SerializerMethodField(help_text="本人是否符合该专业基地的申报条件")
    reasons = serializers.SerializerMethodField(help_text="不符合的理由及所依据的条款")

    class Meta(PlanRowSerializer.Meta):
        fields = ["id", "specialty_base", *PlanRowSerializer.Meta.fields[1:], "eligible", "reasons"]

    def _decision(self, quota):
        return self.context["decisions"][quota.pk]

    def get_eligible(self, quota) -> bool:
        return bool(self._decision(quota))

    @extend_schema_field(ReasonSerializer(many=True))
    def get_reasons(self, quota):
        # ReasonSerializer's shape, without a serializer per row: a page has a hundred rows.
        return [{"clause": reason.clause, "message": str(reason.message)} for reason in self._decision(quota).reasons]


class ApplicationSerializer(serializers.ModelSerializer):
    campaign_year = serializers.IntegerField(source="campaign.year")
    training_base = serializers.IntegerField(source="specialty_base.training_base_id")
    training_base_name = serializers.CharField(source="specialty_base.training_base.name")
    specialty = serializers.CharField(source="specialty_base.specialty.name")
    specialty_code = serializers.CharField(source="specialty_base.specialty.code")
    status = ApplicationStatusField()
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = Application
        fields = [
            "id",
            "campaign",
            "campaign_year",
            "round",
            "specialty_base",
            "training_base",
            "training_base_name",
            "specialty",
            "specialty_code",
            "status",
            "status_label",
            "submitted_at",
            "ended_at",
        ]


class ChoiceInputSerializer(serializers.Serializer):
    specialty_base = serializers.PrimaryKeyRelatedField(
        queryset=with_national_cities(SpecialtyBase.objects.select_related("training_base", "specialty")),
        help_text="专业基地编号（见 me/eligibility/ 的 specialty_base）",
        error_messages={
            "does_not_exist": _l("专业基地 {pk_value} 不存在。"),
            "incorrect_type": _l("专业基地编号应为整数。"),
        },
    )
