"""Page-side plumbing: a service's refusal becomes a message on the page, never a 500."""

from django.contrib import messages

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
