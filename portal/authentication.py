"""How a request's user is loaded from its session."""

from django.contrib.auth.backends import ModelBackend

from portal.models import User


class UserBackend(ModelBackend):
    """Django's model backend, loading the signed-in user with its applicant record (and what the
    applicant's pages show of it) in the same query: nearly every request of an applicant reads
    them. Portal names the relation without importing the feature app that defines it."""

    def get_user(self, user_id):
        user = (
            User._default_manager.select_related(
                "applicant", "applicant__dispatch_training_base", "applicant__dispatch_specialty"
            )
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
