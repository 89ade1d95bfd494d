from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.audit import record_event
from portal.password_reset import MOBILE
from portal.throttling import clear_login_failures, client_address, login_wait, record_login_failure


class LoginForm(AuthenticationForm):
    """Applicants sign in with the mobile number or e-mail they registered with.

    Failed attempts are counted per account and client address (portal/throttling.py): a pair past
    its limit, or an address that keeps failing for an account under attack, is refused even the
    right password for the time it is told; the owner elsewhere signs in as usual.
    """

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _("登录失败次数过多，请%(wait)s后再试，或通过“忘记密码”重设密码。"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("手机号码、电子邮箱或用户名")

    def clean(self):
        login = self.cleaned_data.get("username") or ""
        address = client_address(self.request) if self.request is not None else ""
        wait = login_wait(login=login, address=address)
        if wait:
            raise ValidationError(self.error_messages["throttled"], code="throttled", params={"wait": wait_text(wait)})
        try:
            cleaned = super().clean()
        except ValidationError:
            if record_login_failure(login=login, address=address):
                self._record_lock(login)
            raise
        clear_login_failures(login=login, address=address)
        return cleaned

    @staticmethod
    def _record_lock(login):
        user = get_user_model().objects.filter(username=login).first()
        if user is not None:
            record_event(actor=None, action="user.login_locked", obj=user, reason=str(_("连续登录失败")))


def wait_text(seconds):
    """ "3分钟" or "40秒": how long to wait, rounded up to what a person reads."""
    if seconds >= 60:
        return _("%(minutes)s分钟") % {"minutes": -(-seconds // 60)}
    return _("%(seconds)s秒") % {"seconds": seconds}


class _ByMobile(forms.Form):
    def clean_mobile(self):
        mobile = self.cleaned_data["mobile"].strip()
        if not MOBILE.match(mobile):
            raise forms.ValidationError(_("请输入11位手机号码。"))
        return mobile


class ResetCodeRequestForm(_ByMobile):
    mobile = forms.CharField(label=_("注册时使用的手机号码"), max_length=11)


class ResetWithCodeForm(_ByMobile):
    """The new password meets the rules that need no account here (length, common, all digits);
    `reset_password` also compares it with the account's own details."""

    mobile = forms.CharField(label=_("手机号码"), max_length=11)
    code = forms.CharField(label=_("短信验证码"), max_length=6, min_length=6)
    new_password1 = forms.CharField(label=_("新密码"), widget=forms.PasswordInput, max_length=128)
    new_password2 = forms.CharField(label=_("再次输入新密码"), widget=forms.PasswordInput, max_length=128)

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("new_password1")
        if password:
            try:
                password_validation.validate_password(password)
            except forms.ValidationError as error:
                self.add_error("new_password1", error)
        if password and password != cleaned.get("new_password2"):
            self.add_error("new_password2", _("两次输入的密码不一致。"))
        return cleaned
