"""Bench-only views, routed only by bench.urls (never in production).

`bare`: the baseline — the whole middleware stack (sessions, CSRF, auth, messages, CSP…) but a view
that touches no database; POST for the write benches, GET for the read ones (the vacancy board).
`write`: the committed-write ceiling — the same middleware and one ORM INSERT in a transaction.
`choose`: the choice submission through the service alone, for when the API endpoint is not there;
thin like the API will be.
"""

import json

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.http import JsonResponse
from django.views.decorators.http import require_http_methods, require_POST

from admissions.selectors.applicants import applicant_of
from admissions.services.choices import submit_choice
from bases.models import SpecialtyBase
from policy.selectors import current_campaign
from portal.errors import DomainError
from portal.models import AuditEvent


@require_http_methods(["GET", "POST"])
def bare(request):
    return JsonResponse({"ok": True})


@require_POST
def write(request):
    with transaction.atomic():
        event = AuditEvent.objects.create(
            actor_label="bench", action="bench.write", content_type=ContentType.objects.get_for_model(AuditEvent)
        )
    return JsonResponse({"id": event.pk}, status=201)


@require_POST
def choose(request):
    if not request.user.is_authenticated:
        return JsonResponse({"detail": "not signed in"}, status=403)
    try:
        specialty_base_id = int(json.loads(request.body)["specialty_base"])
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"detail": "specialty_base: an id is required"}, status=400)
    applicant = applicant_of(request.user)
    if applicant is None:
        return JsonResponse({"detail": "not an applicant"}, status=403)
    specialty_base = (
        SpecialtyBase.objects.select_related("specialty", "training_base").filter(pk=specialty_base_id).first()
    )
    if specialty_base is None:
        return JsonResponse({"detail": "no such specialty base"}, status=404)
    campaign = current_campaign(province=specialty_base.training_base.province_id)
    try:
        application = submit_choice(
            actor=request.user, applicant=applicant, campaign=campaign, specialty_base=specialty_base
        ).application
    except DomainError as error:
        return JsonResponse({"detail": str(error.message), "code": error.code}, status=error.status)
    return JsonResponse(
        {"id": application.pk, "round": application.round, "specialty_base": application.specialty_base_id},
        status=201,
    )
