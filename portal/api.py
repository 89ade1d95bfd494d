"""API plumbing shared by every app: domain errors become 4xx answers with the user's message."""

from rest_framework.response import Response
from rest_framework.views import exception_handler

from portal.errors import DomainError


def api_exception_handler(exc, context):
    if isinstance(exc, DomainError):
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
    return exception_handler(exc, context)


def validated(serializer_class, request, **kwargs):
    """The request body checked by `serializer_class`; bad input is a 400 with field messages."""
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
