"""State machines: each model lists its legal transitions once, in a TRANSITIONS mapping on the
model; services move a status only through `advance`, so an illegal step is a clear domain error
(HTTP 409 in the API) and never a silent change or a 500."""

from django.utils.translation import gettext as _

from portal.errors import DomainError


class IllegalTransition(DomainError):
    code = "illegal_transition"


def advance(obj, to):
    field = getattr(type(obj), "STATE_FIELD", "status")
    current = getattr(obj, field)
    if to not in type(obj).TRANSITIONS.get(current, ()):
        labels = dict(type(obj)._meta.get_field(field).choices)
        raise IllegalTransition(
            _("当前状态为“%(current)s”，不能变为“%(to)s”。") % {"current": labels[current], "to": labels[to]}
        )
    setattr(obj, field, to)
