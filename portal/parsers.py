"""The API's JSON parser, bounded: a body over the size limit is a 413 and a structure nested
deeper than anyone sends on purpose is a 400, never a RecursionError (a 500) or minutes of CPU."""

import json

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32


class BodyTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


def body_too_large_message():
    return _("请求内容超过 %(mb)s MB。") % {"mb": round(settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024), 1)}


def _depth(text):
    """How deeply the JSON text nests arrays and objects, read without building anything (brackets
    inside strings do not count)."""
    deepest = depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_DEPTH:
                return deepest
        elif char in "]}":
            depth -= 1
    return deepest


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1) if stream is not None else b""
        if limit is not None and len(raw) > limit:
            raise BodyTooLarge(body_too_large_message())
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            raise ParseError(_("请求内容不是有效的 %(encoding)s 文本。") % {"encoding": encoding}) from None
        if text.count("[") + text.count("{") > MAX_DEPTH and _depth(text) > MAX_DEPTH:
            raise ParseError(_("JSON 嵌套超过 %(depth)s 层。") % {"depth": MAX_DEPTH})
        try:
            return json.loads(text, parse_constant=_refuse_constant)
        except ValueError as error:
            raise ParseError(_("JSON 格式错误：%(error)s") % {"error": error}) from None


def _refuse_constant(name):
    # NaN and Infinity are not JSON; a score of NaN must not reach a comparison.
    raise ValueError(_("不接受 %(name)s") % {"name": name})
