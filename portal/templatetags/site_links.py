from django import template

from portal.links import absolute_url as build

register = template.Library()


@register.simple_tag
def absolute_url(viewname, *args, **kwargs):
    """`{% url %}` on the site's public address, for e-mails and documents (`portal.links`)."""
    return build(viewname, *args, **kwargs)
