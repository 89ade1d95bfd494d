from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.audit import record_event
from portal.throttling import (
    LOGIN_WINDOW_SECONDS,
    clear_login_failures,
    client_address,
    login_blocked,
    record_login_failure,
)


class LoginForm(AuthenticationForm):
    """Applicants sign in with the mobile number or e-mail they registered with.

    Failed attempts are counted per account and per client address; past the limit the form
    refuses even a right password until the window has passed.
    """

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _("登录失败次数过多，请%(minutes)s分钟后再试，或通过“忘记密码”重设密码。"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("手机号码、电子邮箱或用户名")

    def clean(self):
        login = self.cleaned_data.get("username") or ""
        address = client_address(self.request) if self.request is not None else ""
        if login_blocked(login=login, address=address):
            raise ValidationError(
                self.error_messages["throttled"], code="throttled", params={"minutes": LOGIN_WINDOW_SECONDS // 60}
            )
        try:
            cleaned = super().clean()
        except ValidationError:
            if record_login_failure(login=login, address=address):
                self._record_lock(login)
            raise
        clear_login_failures(login=login)
        return cleaned

    @staticmethod
    def _record_lock(login):
        user = get_user_model().objects.filter(username=login).first()
        if user is not None:
            record_event(actor=None, action="user.login_locked", obj=user, reason=str(_("连续登录失败")))
