"""Round-2 invitations through the API (第二批次邀请): the offices' list of the invitations they
may see and sending one. Reads come from admissions.selectors.invitations; the write is
admissions.services.invitations.invite_applicant."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from admissions.api.rounds import INVITATION_TAGS
from admissions.api.serializers.offers import InvitationInputSerializer, InvitationSerializer
from admissions.models import (
    InvitationStatus,
)
from admissions.selectors.applicants import applicant_by_pk
from admissions.selectors.invitations import invitation_rows, visible_invitations
from admissions.services.invitations import invite_applicant
from policy.selectors import campaign_or_404
from portal.api import ERRORS, LIST_ERRORS, choice_param, validated
from portal.models import Role
from portal.permissions import require_role


class InvitationList(generics.ListAPIView):
    serializer_class = InvitationSerializer

    def get_queryset(self):
        return visible_invitations(
            user=self.request.user, status=choice_param(self.request, "status", InvitationStatus)
        )

    @extend_schema(
        tags=INVITATION_TAGS,
        summary="复试邀请列表（本人可见范围）",
        description="紧缺专业在前，其次按邀请时间从新到旧。",
        parameters=[OpenApiParameter("status", str, enum=InvitationStatus.values, description="按状态筛选")],
        responses={200: InvitationSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=INVITATION_TAGS,
        summary="邀请考生参加第二批次复试",
        description="培训基地招收办公室，在第二批次填报期间：只能邀请未被拟录取或录取、未主动填报第二批次志愿、"
        "未接受其他邀请且符合该专业申报条件的考生（否则 409 或 400 并说明原因）；"
        "第一批次志愿尚待资格审核或录取决定的考生，在第一批次拟录取名单发布截止日之后才能邀请。"
        "可邀请的考生与邀请页面的搜索结果一致。",
        request=InvitationInputSerializer,
        responses={201: InvitationSerializer, **ERRORS},
    )
    def post(self, request):
        user = request.user
        require_role(user, Role.BASE_OFFICE)
        data = validated(InvitationInputSerializer, request)
        applicant = applicant_by_pk(data["applicant"])
        if applicant is None:
            raise ValidationError({"applicant": _("学员 %(pk)s 不存在。") % {"pk": data["applicant"]}})
        specialty_base = data["specialty_base"]
        campaign = campaign_or_404(province=specialty_base.training_base.province_id)
        invitation = invite_applicant(
            actor=user, applicant=applicant, campaign=campaign, specialty_base=specialty_base, message=data["message"]
        )
        return Response(InvitationSerializer(invitation_rows().get(pk=invitation.pk)).data, status=201)
