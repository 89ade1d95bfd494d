"""Identity corrections through the API: the applicant's requests and the offices' reviews, the same
services as the pages (issue 11, item 9)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from admissions.api.applicant import OwnDataMixin
from admissions.models import IDENTITY_FIELDS, IdentityCorrection, IdentityDocumentType
from admissions.selectors.identity import correction_rows
from admissions.services.identity import request_identity_correction, review_identity_correction
from portal.api import ERRORS, validated
from portal.permissions import visible

TAGS = ["身份信息更正"]


class IdentitySerializer(serializers.Serializer):
    full_name = serializers.CharField()
    id_type = serializers.CharField()
    id_number = serializers.CharField()
    sex = serializers.CharField(allow_blank=True)
    birth_date = serializers.CharField(allow_blank=True)


class IdentityCorrectionSerializer(serializers.ModelSerializer):
    before = IdentitySerializer(help_text="更正前（完整，仅本人、本基地和省级可见）")
    after = IdentitySerializer(help_text="更正后")
    status_label = serializers.CharField(source="get_status_display")
    applicant_name = serializers.CharField(source="applicant.full_name")
    training_base_name = serializers.CharField(source="training_base.name")

    class Meta:
        model = IdentityCorrection
        fields = [
            "id",
            "applicant_name",
            "training_base",
            "training_base_name",
            "status",
            "status_label",
            "before",
            "after",
            "reason",
            "requested_at",
            "base_note",
            "base_reviewed_at",
            "decision_note",
            "decided_at",
        ]
        read_only_fields = fields


class CorrectionInputSerializer(serializers.Serializer):
    full_name = serializers.CharField(max_length=60)
    id_type = serializers.ChoiceField(choices=IdentityDocumentType.choices)
    id_number = serializers.CharField(max_length=30)
    birth_date = serializers.DateField(required=False, allow_null=True)
    sex = serializers.CharField(required=False, allow_blank=True, max_length=6)
    reason = serializers.CharField(max_length=1000)


class ReviewInputSerializer(serializers.Serializer):
    approve = serializers.BooleanField(help_text="培训基地：同意后报省级；省级：同意即更正")
    note = serializers.CharField(max_length=1000, help_text="审核意见")


class IdentityCorrectionList(generics.ListAPIView):
    serializer_class = IdentityCorrectionSerializer

    @extend_schema(
        tags=TAGS,
        summary="身份信息更正申请（本人可见范围）",
        description="学员：本人的申请；培训基地招收办公室：本基地审核的；省级办公室：全省的。新的在前。",
        responses={200: IdentityCorrectionSerializer(many=True), 403: ERRORS[403]},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return visible(self.request.user, correction_rows()).order_by("-requested_at", "-pk")


class MyIdentityCorrections(OwnDataMixin, APIView):
    @extend_schema(
        tags=TAGS,
        summary="申请更正本人的身份信息",
        description="被拟录取、列入公示或录取后，姓名和证件信息只能这样更正：培训基地审核后报省级审核，通过后更正。"
        f"更正的字段：{'、'.join(IDENTITY_FIELDS)}。尚未被选中时返回 409（not_frozen），已有待审核申请时返回 409。",
        request=CorrectionInputSerializer,
        responses={201: IdentityCorrectionSerializer, **ERRORS},
    )
    def post(self, request):
        data = validated(CorrectionInputSerializer, request)
        correction = request_identity_correction(actor=request.user, applicant=self.applicant, **data)
        return Response(IdentityCorrectionSerializer(correction_rows().get(pk=correction.pk)).data, status=201)


class IdentityCorrectionReview(APIView):
    @extend_schema(
        tags=TAGS,
        summary="审核身份信息更正申请",
        description="待培训基地审核的由该基地招收办公室审核，待省级审核的由省级办公室审核；已审核完毕返回 409。",
        request=ReviewInputSerializer,
        responses={200: IdentityCorrectionSerializer, **ERRORS},
    )
    def post(self, request, pk):
        correction = get_object_or_404(visible(request.user, correction_rows()), pk=pk)
        data = validated(ReviewInputSerializer, request)
        review_identity_correction(
            actor=request.user, correction=correction, approve=data["approve"], note=data["note"]
        )
        return Response(IdentityCorrectionSerializer(correction_rows().get(pk=correction.pk)).data)
