"""API plumbing shared by every app: domain errors (and constraint violations, as 409s) become 4xx
answers with the user's message, in the one error shape documented here (`ApiErrorSerializer`, the
responses every operation declares), and the query-parameter readers."""

from django.core.exceptions import RequestDataTooBig
from django.core.validators import ProhibitNullCharactersValidator
from django.http import HttpResponseServerError, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler

from portal.context_processors import site
from portal.errors import USER_ERRORS, user_error
from portal.parsers import BodyTooLarge, body_too_large_message
from portal.web import parse_id


class GapSerializer(serializers.Serializer):
    """One missing or too-thin part of a brochure (the completeness check)."""

    section = serializers.CharField(source="key", help_text="栏目键，如 overview、applicant_types、plan")
    label = serializers.CharField(help_text="栏目名称")
    problem = serializers.CharField(help_text="问题说明")


class ReasonSerializer(serializers.Serializer):
    clause = serializers.CharField(help_text="依据的条款，如 二(二)3")
    message = serializers.CharField(help_text="说明")


class ApiErrorSerializer(serializers.Serializer):
    """A refused action (see `api_exception_handler`): the rule's message and a machine-readable
    code; an incomplete brochure also lists its gaps, a refused choice every reason with its
    clause, a refused import each error."""

    detail = serializers.CharField()
    code = serializers.CharField(required=False)
    gaps = GapSerializer(many=True, required=False)
    reasons = ReasonSerializer(many=True, required=False, help_text="不符合申报条件的每一条理由")
    errors = serializers.ListField(child=serializers.CharField(), required=False, help_text="导入失败时每一处错误")


def error_responses(
    *,
    forbidden="未登录，或无权进行此操作（角色或范围不符）",
    not_found="对象不存在",
    conflict="当前状态或时间不允许此操作",
):
    """The error answers an operation declares in the schema, by status code."""
    return {
        400: OpenApiResponse(ApiErrorSerializer, description="输入有误：按字段列出的错误，或规则给出的 {detail, code}"),
        403: OpenApiResponse(ApiErrorSerializer, description=forbidden),
        404: OpenApiResponse(ApiErrorSerializer, description=not_found),
        409: OpenApiResponse(ApiErrorSerializer, description=conflict),
    }


ERRORS = error_responses()
READ_ERRORS = {code: ERRORS[code] for code in (403, 404)}
LIST_ERRORS = {code: ERRORS[code] for code in (400, 403)}


def api_exception_handler(exc, context):
    if isinstance(exc, RequestDataTooBig):
        exc = BodyTooLarge(body_too_large_message())
    if isinstance(exc, USER_ERRORS):
        exc = user_error(exc)
        body = {"detail": exc.message, "code": exc.code}
        if getattr(exc, "gaps", None):
            body["gaps"] = [
                {"section": gap.key, "label": str(gap.label), "problem": str(gap.problem)} for gap in exc.gaps
            ]
        if getattr(exc, "reasons", None):
            body["reasons"] = [{"clause": reason.clause, "message": str(reason.message)} for reason in exc.reasons]
        if getattr(exc, "errors", None):
            body["errors"] = [str(error) for error in exc.errors]
        return Response(body, status=exc.status)
    response = exception_handler(exc, context)
    # DRF's own refusals (a body it cannot parse, a method not allowed …) in the same {detail, code} shape.
    detail = getattr(exc, "detail", None)
    if response is not None and isinstance(response.data, dict) and isinstance(detail, str):
        response.data.setdefault("code", getattr(detail, "code", None) or "invalid")
    return response


# Query parameters are read by hand (they filter, they are not a resource); what the database
# cannot compare is refused here as a 400 rather than failing there as a 500.


def int_param(request, name, message, choices=None):
    """A whole-number query parameter (an id, or one of `choices`): None when absent; anything
    else is a 400 with `message`."""
    value = request.query_params.get(name, "")
    if not value:
        return None
    number = parse_id(value)
    if number is None or (choices is not None and number not in choices):
        raise ValidationError({name: message})
    return number


def choice_param(request, name, choices, invalid=None):
    """A query parameter that must be one of `choices` (a TextChoices), "" when absent; anything
    else is a 400 naming the allowed values, in `invalid`'s words if given (a translated string
    with %(value)s and %(values)s)."""
    value = request.query_params.get(name, "")
    if value and value not in choices.values:
        message = invalid or _("无效的值“%(value)s”，可选：%(values)s")
        raise ValidationError({name: message % {"value": value, "values": "、".join(choices.values)}})
    return value


def is_schema_generation(view):
    """Whether drf-spectacular is calling the view to learn its shape (no real request)."""
    return getattr(view, "swagger_fake_view", False)


def text_param(request, name):
    """A free-text query parameter, "" when absent; a NUL character (PostgreSQL refuses it) is a 400."""
    value = request.query_params.get(name, "")
    if "\x00" in value:
        raise ValidationError({name: str(ProhibitNullCharactersValidator.message)})
    return value


def validated(serializer_class, request, **kwargs):
    """The request body checked by `serializer_class`; bad input is a 400 with field messages."""
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def not_found(request, exception):
    """handler404: an API client gets the JSON error shape, a browser the page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(NotFound.default_detail), "code": NotFound.default_code}, status=404)
    return page_not_found(request, exception)


def server_error(request):
    """handler500: JSON for the API, the site's own page for a browser. The page is rendered
    without the request's context processors, since the failure may be the database they read
    (the signed-in user, the messages)."""
    detail = _("服务器暂时无法处理您的请求，您的数据没有丢失。请稍后重试；如果问题持续，请联系省级管理部门。")
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": detail, "code": "server_error"}, status=500)
    page = loader.get_template("500.html").render({"site_name": site(request)["site_name"], "detail": detail})
    return HttpResponseServerError(page)


# --- The schema: what every operation may answer besides its own responses ------------------------

ERROR_REF = {"$ref": "#/components/schemas/ApiError"}  # ApiErrorSerializer above
FIELD_ERRORS = {
    "type": "object",
    "description": "按字段列出的错误：字段名 → 错误信息列表（嵌套字段为对象或列表）；非字段错误在 non_field_errors 中",
    "additionalProperties": {},
    "not": {"required": ["detail"]},
}


IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[\\x21-\\x7e]+$"},
    "description": (
        "可选的幂等键（1–255 个可见 ASCII 字符，按登录账号区分，保留 24 小时）：同一键的重试只执行一次，"
        "并返回第一次的响应（带 Idempotent-Replayed: true 响应头）；同一键用于不同的请求返回 422。"
    ),
}


def _error(description, schema=ERROR_REF):
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def complete_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: the answers every view gives without declaring them
    (no session: 403; an unknown id or page: 404; a body that fails validation: 400; a write that
    a database constraint refuses because another request won the race: 409; a write's optional
    Idempotency-Key header and its 422, see portal.idempotency), and every 400
    documented as either the rule's {detail, code} or the serializer's field errors."""
    result["components"]["schemas"]["FieldErrors"] = FIELD_ERRORS
    for path, operations in result["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            if method in ("post", "put", "patch", "delete"):
                responses.setdefault("409", _error("与同时进行的其他操作冲突，未保存"))
                responses.setdefault("422", _error("该 Idempotency-Key 已用于另一个请求"))
                responses.setdefault("400", _error("输入有误，或 Idempotency-Key 格式不符"))
                operation.setdefault("parameters", []).append(dict(IDEMPOTENCY_KEY))
            if {} not in operation.get("security", [{}]):
                responses.setdefault("403", _error("未登录，或无权进行此操作"))
            if "{" in path:
                responses.setdefault("404", _error("对象不存在"))
            if any(parameter["name"] == "page" for parameter in operation.get("parameters", [])):
                responses.setdefault("404", _error("页码超出范围"))
            if "requestBody" in operation:
                responses.setdefault("400", _error("输入有误"))
            for content in responses.get("400", {}).get("content", {}).values():
                if "oneOf" not in content["schema"]:
                    content["schema"] = {"oneOf": [content["schema"], {"$ref": "#/components/schemas/FieldErrors"}]}
    return result
