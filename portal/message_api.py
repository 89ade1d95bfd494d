"""The user's own messages with their receipts (/api/v1/me/messages/), and the SMS gateway's
delivery reports (/api/v1/sms/receipts/, signed, no session)."""

from django.http.request import RawPostDataException
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api import ERRORS, is_schema_generation, validated
from portal.models import DeliveryStatus, Notification
from portal.receipts import REPORTED, copy_states, messages_of, record_report, signed

TAGS = ["消息与回执"]


class CopyStateSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(["site", "email", "sms"], help_text="站内、邮件或短信")
    label = serializers.CharField(help_text="渠道名称")
    status = serializers.ChoiceField(
        ["read", "unread", *DeliveryStatus.values],
        help_text="站内：read/unread；邮件：queued/sent/failed（“已发送”即邮件服务器已接收，邮件没有送达回执）；"
        "短信：queued/sent/delivered/failed",
    )
    status_label = serializers.CharField(help_text="状态（中文）")
    at = serializers.DateTimeField(allow_null=True, help_text="进入该状态的时间；未读时为空")
    address = serializers.CharField(help_text="发送地址（已脱敏）；站内为空")


class MessageSerializer(serializers.ModelSerializer):
    copies = serializers.SerializerMethodField(help_text="站内、邮件、短信各一份的状态")

    class Meta:
        model = Notification
        fields = ["id", "kind", "subject", "body", "created_at", "read_at", "copies"]

    @extend_schema_field(CopyStateSerializer(many=True))
    def get_copies(self, notification):
        return CopyStateSerializer(copy_states(notification), many=True).data


class MyMessages(generics.ListAPIView):
    serializer_class = MessageSerializer

    def get_queryset(self):
        if is_schema_generation(self):
            return Notification.objects.none()
        return messages_of(self.request.user)

    @extend_schema(
        tags=TAGS,
        summary="本人的消息及其回执",
        description="新的在前。每条消息列出站内（已读/未读）、邮件和短信副本的状态及时间；"
        "没有邮箱或手机号码时没有对应的副本。发送失败的副本会自动重试，超过次数后显示“发送失败”。",
        responses={200: MessageSerializer(many=True), 403: ERRORS[403]},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ReceiptSerializer(serializers.Serializer):
    message_id = serializers.CharField(max_length=100, help_text="发送短信时网关返回的消息编号")
    status = serializers.ChoiceField([s.value for s in REPORTED], help_text="delivered：已送达；failed：未送达")
    error = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000, help_text="失败原因")
    reported_at = serializers.DateTimeField(required=False, allow_null=True, default=None, help_text="网关的回执时间")


class ReceiptAnswerSerializer(serializers.Serializer):
    message_id = serializers.CharField()
    status = serializers.CharField(help_text="记录后的短信状态")


class SmsReceipts(APIView):
    """Signed by the gateway, not signed in: no session, no CSRF token."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        tags=TAGS,
        summary="短信网关送达回执",
        description="短信网关回调：请求体为 JSON，请求头 X-Signature 为请求体的 HMAC-SHA256（十六进制），"
        "密钥为服务端设置 SMS_RECEIPT_SECRET。未设置密钥或签名不符时返回 403；"
        "请求体有误返回 400；消息编号未知返回 404。重复的回执不改变状态。",
        request=ReceiptSerializer,
        parameters=[
            OpenApiParameter(
                "X-Signature",
                str,
                location=OpenApiParameter.HEADER,
                required=True,
                description="请求体的 HMAC-SHA256（十六进制），密钥为 SMS_RECEIPT_SECRET",
            )
        ],
        examples=[OpenApiExample("送达", value={"message_id": "6f1c2b", "status": "delivered"}, request_only=True)],
        responses={
            200: ReceiptAnswerSerializer,
            400: ERRORS[400],
            403: OpenApiResponse(ERRORS[403].response, description="未设置回执密钥，或签名不符"),
            404: OpenApiResponse(ERRORS[404].response, description="没有以此编号发出的短信"),
        },
    )
    def post(self, request):
        try:
            body = request.body
        except RawPostDataException:  # a form body, parsed on the way in: a gateway signs JSON
            body = None
        if body is None or not signed(body, request.headers.get("X-Signature", "")):
            raise PermissionDenied(_("回执签名无效。"))
        if request.content_type != "application/json":
            raise ValidationError({"detail": _("回执须为 JSON。")})
        data = validated(ReceiptSerializer, request)
        delivery = record_report(
            message_id=data["message_id"], status=data["status"], error=data["error"], at=data["reported_at"]
        )
        if delivery is None:
            raise NotFound(_("没有以此编号发出的短信。"))
        return Response({"message_id": data["message_id"], "status": delivery.status}, status=status.HTTP_200_OK)
