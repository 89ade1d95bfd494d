"""Page-side plumbing: a service's refusal becomes a message on the page, never a 500."""

from django.contrib import messages
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

from portal.errors import USER_ERRORS, user_error


def perform(request, action, *, success):
    """Call `action()`; on success flash `success`, on a DomainError (or a constraint violation,
    see `user_error`) flash its message.

    Returns (result, error): exactly one of them is None.
    """
    try:
        result = action()
    except USER_ERRORS as raised:
        error = user_error(raised)
        messages.error(request, error.message)
        return None, error
    messages.success(request, success)
    return result, None


def download_response(content, *, filename, content_type, inline=False):
    """Bytes as a file download, its (Chinese) file name encoded so every browser keeps it. An
    iterator of bytes instead is streamed as it is produced, never held whole."""
    if isinstance(content, bytes):
        response = HttpResponse(content, content_type=content_type)
    else:
        response = StreamingHttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=not inline, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
