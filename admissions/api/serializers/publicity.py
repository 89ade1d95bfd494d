"""What the API reads and accepts about publicity lists and objections. Serializers only parse
and present; every write is a service call in admissions/api/publicity.py."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _l
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from admissions.api.serializers.rounds import ObjectionStatusField, PublicityKindField
from admissions.models import (
    Objection,
    PublicityEntry,
    PublicityList,
)
from policy.timetable import end_of_day
from portal.privacy import mask_id_number


class PublicityListSerializer(serializers.ModelSerializer):
    campaign_year = serializers.IntegerField(source="campaign.year")
    training_base_name = serializers.CharField(source="training_base.name")
    kind = PublicityKindField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display")
    ends_at = serializers.SerializerMethodField(help_text="公示结束时刻（公示截止日24时）")
    is_public = serializers.SerializerMethodField(help_text="是否仍在公示期内")
    entry_count = serializers.IntegerField(read_only=True, help_text="名单人数")

    class Meta:
        model = PublicityList
        fields = [
            "id",
            "campaign_year",
            "training_base",
            "training_base_name",
            "round",
            "kind",
            "kind_label",
            "published_at",
            "last_day",
            "ends_at",
            "is_public",
            "note",
            "entry_count",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DateTimeField())
    def get_ends_at(self, publicity_list):
        return serializers.DateTimeField().to_representation(end_of_day(publicity_list.last_day))

    def get_is_public(self, publicity_list) -> bool:
        return timezone.now() < end_of_day(publicity_list.last_day)


class PublicEntrySerializer(serializers.ModelSerializer):
    """One listed candidate as everyone sees it: the identity number is always masked."""

    name = serializers.CharField(source="assessment.application.applicant.full_name", help_text="姓名")
    id_number = serializers.SerializerMethodField(help_text="证件号码（部分隐藏）")
    specialty_base = serializers.IntegerField(source="assessment.specialty_base_id")
    specialty = serializers.CharField(source="assessment.specialty_base.specialty.name")
    specialty_code = serializers.CharField(source="assessment.specialty_base.specialty.code")

    class Meta:
        model = PublicityEntry
        fields = ["id", "name", "id_number", "specialty_base", "specialty", "specialty_code"]
        read_only_fields = fields

    def get_id_number(self, entry) -> str:
        return mask_id_number(entry.assessment.application.applicant.id_number)


class PublicityListDetailSerializer(PublicityListSerializer):
    entries = PublicEntrySerializer(many=True, read_only=True)

    class Meta(PublicityListSerializer.Meta):
        fields = [*PublicityListSerializer.Meta.fields, "entries"]
        read_only_fields = fields


class PublishInputSerializer(serializers.Serializer):
    round = serializers.ChoiceField(
        choices=[(1, "第一批次"), (2, "第二批次")],
        help_text="批次：1 或 2",
        error_messages={"invalid_choice": _l("批次应为 1 或 2。")},
    )


class ObjectionInputSerializer(serializers.Serializer):
    contact = serializers.CharField(max_length=100, help_text="联系方式（电话或电子邮箱）")
    text = serializers.CharField(help_text="异议内容")


class ObjectionSerializer(serializers.ModelSerializer):
    publicity_list = serializers.IntegerField(source="entry.publicity_list_id")
    candidate_name = serializers.CharField(source="entry.assessment.application.applicant.full_name")
    training_base_name = serializers.CharField(source="entry.publicity_list.training_base.name")
    specialty = serializers.CharField(source="entry.assessment.specialty_base.specialty.name")
    status = ObjectionStatusField(read_only=True)
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = Objection
        fields = [
            "id",
            "entry",
            "publicity_list",
            "candidate_name",
            "training_base_name",
            "specialty",
            "contact",
            "text",
            "raised_at",
            "status",
            "status_label",
            "handled_at",
            "handling_note",
            "duplicate_of",
        ]
        read_only_fields = fields


class HandleObjectionInputSerializer(serializers.Serializer):
    sustained = serializers.BooleanField(help_text="true：异议成立，取消该考生的拟录取并发布变更公示")
    note = serializers.CharField(help_text="处理情况")


class CloseDuplicatesInputSerializer(serializers.Serializer):
    duplicates = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        min_length=1,
        max_length=200,
        help_text="针对同一考生、尚未处理的重复异议的编号",
    )
    note = serializers.CharField(max_length=2000, help_text="处理情况")
