import logging

from django.db import IntegrityError
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class DomainError(Exception):
    """A rule refused an action. The message is for the user, in their language; pages show it as
    a form or page message and the API returns it with `status`, never a 500.

    `fields` names, by the service's argument, what is wrong with each input (a list of messages
    each), so that a page shows them next to the form's fields of the same name; `message` then
    says all of it at once.
    """

    status = 409
    code = "conflict"

    def __init__(self, message, *, code=None, status=None, fields=None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        if code:
            self.code = code
        if status:
            self.status = status

    @classmethod
    def of_inputs(cls, problems, **kwargs):
        """The refusal of several inputs at once (`problems`: argument → its messages)."""
        return cls(
            " ".join(message for messages in problems.values() for message in messages), fields=problems, **kwargs
        )


# What a page or the API tells its user instead of failing.
USER_ERRORS = (DomainError, IntegrityError)


def user_error(exc):
    """The DomainError to show for `exc`, one of USER_ERRORS.

    An IntegrityError is a database constraint refusing what a service's own checks let through:
    two requests raced past the check and the other one won. The log line keeps the constraint's
    first line only, which names it; the values in the rest may be personal.
    """
    if isinstance(exc, DomainError):
        return exc
    logger.warning("Constraint refused a change: %s", str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
    return DomainError(_("同一时间有其他操作修改了相同的数据，本次操作未保存。请刷新页面后重试。"), code="conflict")
