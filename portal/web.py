"""Page-side plumbing: a service's refusal becomes a message on the page, never a 500."""

from django.contrib import messages
from django.http import HttpResponse
from django.utils.http import content_disposition_header

from portal.errors import DomainError


def perform(request, action, *, success):
    """Call `action()`; on success flash `success`, on a DomainError flash its message.

    Returns (result, error): exactly one of them is None.
    """
    try:
        result = action()
    except DomainError as error:
        messages.error(request, error.message)
        return None, error
    messages.success(request, success)
    return result, None


def download_response(content, *, filename, content_type, inline=False):
    """Bytes as a file download, its (Chinese) file name encoded so every browser keeps it."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=not inline, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
