"""Deployment checks of the portal's own settings (`manage.py check --deploy`)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register

LOCAL_HOSTS = {None, "", "localhost", "127.0.0.1", "::1", "testserver"}


@register(Tags.security, deploy=True)
def site_url_is_public(app_configs, **kwargs):
    if settings.DEBUG or urlsplit(settings.SITE_URL).hostname not in LOCAL_HOSTS:
        return []
    return [
        Warning(
            f"SITE_URL is {settings.SITE_URL!r}: links in e-mails and admission notices would point there.",
            hint="Set SITE_URL to the portal's public address, e.g. https://zhupei.example.gov.cn.",
            id="portal.W001",
        )
    ]
