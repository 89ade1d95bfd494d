"""Links that leave the site, in e-mails, text messages and PDFs, are built on the configured
public address (`SITE_URL`), never on the request's host: a client chooses its Host header, and a
mail sent from a request on localhost would otherwise point there."""

from django.conf import settings
from django.urls import reverse


def absolute_url(viewname: str, *args, query: str = "", **kwargs) -> str:
    """The public address of the page `viewname` (reversed with `args`/`kwargs`), with `query`
    (already encoded, without "?") when given."""
    url = settings.SITE_URL + reverse(viewname, args=args or None, kwargs=kwargs or None)
    return f"{url}?{query}" if query else url
