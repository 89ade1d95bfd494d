from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdmissionsConfig(AppConfig):
    name = "admissions"
    verbose_name = _("学员与招录")

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from admissions.models import Applicant, ApplicantDocument, EducationRecord
        from admissions.selectors.applicants import choices_filed_since
        from admissions.selectors.assessments import has_scores
        from admissions.selectors.places import held_by_quota
        from admissions.selectors.vacancies import forget_changed_boards
        from admissions.services.applicants import certificates_changed, records_changed
        from admissions.services.publicity import PublicityListRelease
        from admissions.services.score_excel import ScoreImportRelease
        from bases.selectors.scoring import register_scores_entered
        from bases.services.plan_excel import register_choices_filed
        from bases.services.quotas import register_held_places
        from portal.audit import register_change_listener
        from portal.releases import register

        register_held_places(held_by_quota)
        register_choices_filed(choices_filed_since)
        register_scores_entered(has_scores)
        register_change_listener(forget_changed_boards)
        register(PublicityListRelease())
        register(ScoreImportRelease())
        for model in (EducationRecord, ApplicantDocument):
            post_save.connect(records_changed, sender=model, dispatch_uid=f"records-saved-{model.__name__}")
            post_delete.connect(records_changed, sender=model, dispatch_uid=f"records-deleted-{model.__name__}")
        m2m_changed.connect(
            certificates_changed, sender=Applicant.held_certificate_specialties.through, dispatch_uid="certificates"
        )
