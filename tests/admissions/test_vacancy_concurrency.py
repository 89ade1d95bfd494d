"""The vacancy board under simultaneous decisions on PostgreSQL row locks: offices propose for the
last places, candidates decline while others are admitted, visitors read the board all the while
(and so fill its cache mid-race) — and afterwards the board says what the quotas say."""

import datetime
import threading

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.urls import reverse

from admissions.models import Assessment, Stage
from admissions.services.admission import admit
from admissions.services.assessments import decide_admission
from admissions.services.entries import QuotaFull
from admissions.services.publicity import confirm_offer, publish_list
from bases.services.quotas import do_set_quota
from portal.celery import app as celery_app
from tests.admissions.test_vacancy_board import api_rows, quota_counts, rows_of
from tests.concurrency import run_together
from tests.round_helpers import SHANGHAI, bulk_candidates

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are checked on PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def tasks_imported():
    # The racing threads see Celery's default app, not the portal's; the shared tasks (the
    # notifications' e-mails) reach every app once their modules are imported, as in a server.
    celery_app.loader.import_default_modules()


ASSESSING = datetime.datetime(2026, 4, 27, 10, tzinfo=SHANGHAI)
PUBLISHING = datetime.datetime(2026, 4, 29, 10, tzinfo=SHANGHAI)
PUBLICITY = datetime.datetime(2026, 5, 2, 10, tzinfo=SHANGHAI)
PLACES = {"xiehe_internal": 3, "tongji_internal": 2}
CANDIDATES = 24  # per specialty base
DECIDERS = 12  # threads deciding, two candidates each, both bases mixed
READERS = 4  # threads reading the board (page and API) while the others decide
READS = 15


def race(decisions, work):
    """`work(item)` for every decision at once, beside READERS threads that read the board
    READS times each; returns the outcomes and any unexpected error."""
    outcomes, errors, lock = [], [], threading.Lock()

    def run(item):
        if item is None:
            client = Client()
            for n in range(READS):
                response = client.get(reverse("vacancy-board" if n % 2 else "api-vacancies"))
                if response.status_code != 200:
                    errors.append(response.status_code)
            return
        for one in item:
            try:
                outcome = work(one)
            except QuotaFull:
                outcome = "full"
            except Exception as error:  # reported by the caller's assertion
                with lock:
                    errors.append(error)
                continue
            with lock:
                outcomes.append(outcome)

    batches = [decisions[n::DECIDERS] for n in range(DECIDERS)]
    run_together([*batches, *[None] * READERS], run)
    return outcomes, errors


def board():
    client = Client()
    page, api = client.get(reverse("vacancy-board")), client.get(reverse("api-vacancies"))
    assert rows_of(page) == api_rows(api)
    return api_rows(api)


def test_the_board_equals_the_quotas_after_simultaneous_decisions(world, people):
    campaign = world["hubei_campaign"]
    bases = [world[name] for name in PLACES]
    for base, places in zip(bases, PLACES.values(), strict=True):
        do_set_quota(actor=None, campaign=campaign, specialty_base=base, places=places)
    offices = {world["xiehe_internal"].pk: people["xiehe_office"], world["tongji_internal"].pk: people["tongji_office"]}
    candidates = [candidate for base in bases for candidate in bulk_candidates(campaign, base, CANDIDATES)]
    candidates.sort(key=lambda candidate: candidate.pk % 7)  # both bases in every batch
    ids = [candidate.pk for candidate in candidates]

    def propose(candidate):
        decide_admission(actor=offices[candidate.specialty_base_id], assessment=candidate, admit=True)
        return "proposed"

    def at_stage(stage):
        found = set(Assessment.objects.filter(pk__in=ids, stage=stage).values_list("pk", flat=True))
        return [candidate for candidate in candidates if candidate.pk in found]

    with time_machine.travel(ASSESSING, tick=False):
        outcomes, errors = race(candidates, propose)
        assert errors == []
        assert outcomes.count("proposed") == sum(PLACES.values())
        counts = quota_counts(campaign)
        assert board() == counts
        assert sorted(counts[base.pk] for base in bases) == [(2, 2, 0, 0), (3, 3, 0, 0)]

    with time_machine.travel(PUBLISHING, tick=False):
        for training_base, office in (
            (world["xiehe"], people["xiehe_office"]),
            (world["tongji"], people["tongji_office"]),
        ):
            publish_list(actor=office, campaign=campaign, training_base=training_base, round_number=1)

    proposed = at_stage(Stage.PROPOSED)
    declining = {candidate.pk for candidate in proposed[::2]}

    def settle(candidate):
        if candidate.pk in declining:
            confirm_offer(actor=candidate.application.applicant.user, assessment=candidate, accept=False)
            return "declined"
        admit(candidate)
        return "admitted"

    with time_machine.travel(PUBLICITY, tick=False):
        outcomes, errors = race(proposed, settle)
        assert errors == []
        assert sorted(outcomes) == sorted(
            ["declined"] * len(declining) + ["admitted"] * (len(proposed) - len(declining))
        )
        counts = quota_counts(campaign)
        assert board() == counts
        assert sum(held for _plan, held, _admitted, _left in counts.values()) == 0
        assert sum(left for *_counts, left in counts.values()) == len(declining)

        # The places the declines freed are taken again at once by the candidates still waiting.
        outcomes, errors = race(at_stage(Stage.QUALIFIED), propose)
        assert errors == []
        assert outcomes.count("proposed") == len(declining)
        counts = quota_counts(campaign)
        assert board() == counts
        assert sum(left for *_counts, left in counts.values()) == 0
