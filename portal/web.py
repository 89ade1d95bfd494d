"""Page-side plumbing: a service's refusal becomes a message on the page, never a 500."""

from django.contrib import messages
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

from portal.errors import USER_ERRORS, user_error

# Longer than any 64-bit row id: refused before it reaches the database (SQLite overflows on it).
LONGEST_ID = len(str(2**63 - 1))


def parse_id(text):
    """A row id typed into a form or a URL's query, or None when it is not one. `isdecimal`, since
    `isdigit` also accepts characters such as "²" that int() refuses."""
    return int(text) if text.isdecimal() and len(text) < LONGEST_ID else None


def perform(request, action, *, success, form=None):
    """Call `action()`; on success flash `success`, on a DomainError (or a constraint violation,
    see `user_error`) flash its message — or, with the `form` the page shows again, put what the
    error says about each input (`DomainError.fields`) on the form's field of that name (on the
    form as a whole when it has none), beside the field and in the form's error summary.

    Returns (result, error): exactly one of them is None.
    """
    try:
        result = action()
    except USER_ERRORS as raised:
        error = user_error(raised)
        if form is not None and error.fields:
            for name, field_messages in error.fields.items():
                form.add_error(name if name in form.fields else None, list(field_messages))
        else:
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
