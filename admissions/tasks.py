from celery import shared_task

from admissions.services.admission import admit_due


@shared_task(acks_late=True)
def admit_due_candidates():
    """Idempotent: a second run, or two workers at once, admit nobody twice (row lock, stage check)."""
    return admit_due()
