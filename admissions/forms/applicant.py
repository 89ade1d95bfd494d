"""The applicant's own forms: they parse input only; every write goes through the services. What
the input itself shows to be wrong (a login that is neither a mobile number nor an e-mail address, a
password the validators refuse, a bad identity number) is found here, so that every field's problem
is shown at once, not one per submission."""

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from admissions.models import IDENTITY_FIELDS, Applicant, DocumentKind, EducationRecord, IdentityDocumentType, Sex
from bases.models import Specialty, TrainingBase
from policy.choices import ApplicantType
from policy.contacts import is_email, is_mobile
from policy.identity import InvalidResidentId, parse_identity_document
from policy.rules.eligibility import SELF_REGISTERING
from portal.models import Role, User

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _blank_labels(form, **labels):
    """Say "请选择" (or the given label) for a select's empty choice instead of Django's default."""
    for name, field in form.fields.items():
        label = labels.get(name, _("请选择"))
        if isinstance(field, forms.ModelChoiceField) and field.empty_label is not None:
            field.empty_label = label
        elif isinstance(field, forms.ChoiceField) and field.choices and field.choices[0][0] == "":
            field.choices = [("", label), *field.choices[1:]]


class RegisterForm(forms.Form):
    login = forms.CharField(
        label=_("手机号码或电子邮箱"),
        max_length=150,
        help_text=_("11位手机号码或电子邮箱，注册后用它登录。"),
        widget=forms.TextInput(attrs={"autocomplete": "username", "inputmode": "email"}),
    )
    full_name = forms.CharField(label=_("姓名"), max_length=60, help_text=_("与身份证件上的姓名一致。"))
    password = forms.CharField(
        label=_("密码"),
        strip=False,
        help_text=_("至少10位，不能全是数字，不能与手机号码或邮箱相近。"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label=_("再次输入密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean_login(self):
        login = self.cleaned_data["login"].strip().lower()
        if not (is_mobile(login) or is_email(login)):
            raise forms.ValidationError(_("请输入11位手机号码或有效的电子邮箱。"))
        return login

    def clean(self):
        data = super().clean()
        password = data.get("password")
        if password:
            # As register_applicant will: the account-to-be, so that a password like the login is refused.
            login = data.get("login", "")
            account = User(username=login, email=login if is_email(login) else "", role=Role.APPLICANT)
            try:
                password_validation.validate_password(password, account)
            except forms.ValidationError as error:
                self.add_error("password", error)
        if password and data.get("password_again") and password != data["password_again"]:
            self.add_error("password_again", _("两次输入的密码不一致。"))
        return data


class _IdentityDocumentCheck:
    """Checks `id_number` against `id_type` (the GB 11643 check digit for a resident ID) with the
    form's other fields, as the services will."""

    def clean(self):
        data = super().clean()
        number = (data.get("id_number") or "").strip()
        if number and data.get("id_type") and not self.has_error("id_number"):
            try:
                parse_identity_document(data["id_type"], number)
            except InvalidResidentId as error:
                self.add_error("id_number", str(error))
        return data


class _DispatchBaseField(forms.ModelChoiceField):
    def label_from_instance(self, training_base):
        return f"{training_base.name}（{training_base.city}）"


# The profile page's sections: (key, heading, hint, fields).
PROFILE_GROUPS = (
    (
        "identity",
        _("身份信息"),
        "",
        ("full_name", "is_chinese_national", "id_type", "id_number", "birth_date", "sex"),
    ),
    ("contact", _("联系方式"), "", ("mobile",)),
    (
        "qualification",
        _("执业资格"),
        "",
        (
            "qualification_category",
            "qualification_number",
            "qualification_date",
            "licence_number",
            "held_certificate_specialties",
        ),
    ),
    (
        "employer",
        _("工作单位"),
        "",
        ("applicant_type", "employer", "employer_city", "post", "technical_title"),
    ),
    ("declarations", _("声明"), "", ("enrolled_academic_student", "on_national_platform", "declares_fit")),
    (
        "dispatch",
        _("委托培养"),
        _("仅“外单位委托培养住院医师”填写：按委托单位派遣函指定的培训基地和专业（二(三)1、三(二)）。"),
        ("dispatch_training_base", "dispatch_specialty"),
    ),
)


PROFILE_FORM_FIELDS = tuple(field for _key, _heading, _hint, fields in PROFILE_GROUPS for field in fields)


class ProfileForm(_IdentityDocumentCheck, forms.ModelForm):
    """The applicant's facts. Bound to a copy of the record, so validating never touches the
    applicant object the view holds; `update_profile` does the saving."""

    class Meta:
        model = Applicant
        fields = PROFILE_FORM_FIELDS
        widgets = {
            "birth_date": _DATE,
            "qualification_date": _DATE,
            "held_certificate_specialties": forms.CheckboxSelectMultiple,
            "id_number": forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
            "mobile": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        }
        help_texts = {
            "id_number": _("居民身份证为18位，最后一位可以是X；出生日期和性别由号码自动得出。"),
            "birth_date": _("只有持港澳台居民来往内地（大陆）通行证的需要填写；身份证和居住证号码已包含出生日期。"),
            "sex": _("只有持通行证的需要填写；身份证和居住证号码已包含性别。"),
            "mobile": _("11位手机号码，用于接收通知。"),
            "held_certificate_specialties": _("已取得该专业住培合格证书的，不能再报该专业（二(四)1）。"),
            "enrolled_academic_student": _("高校在读学术学位研究生不予招录（二(四)2）。"),
            "on_national_platform": _("已纳入国家住培管理平台的不予招录（二(四)3）。"),
            "declares_fit": _("须确认身体条件能够保障正常完成临床培训（二(一)3）。"),
            "employer_city": _("如：武汉市。外单位委托培养的学员按所在市州确定可报基地。"),
        }
        field_classes = {"dispatch_training_base": _DispatchBaseField}

    def __init__(self, *args, applicant, identity_frozen=False, **kwargs):
        super().__init__(*args, instance=Applicant.objects.get(pk=applicant.pk), **kwargs)
        if identity_frozen:
            # Shown, not editable: what is posted for them is ignored.
            for name in IDENTITY_FIELDS:
                if name in self.fields:
                    self.fields[name].disabled = True
                    self.fields[name].help_text = _(
                        "已被拟录取或公示，不能自行修改；如需更正，请在“身份信息”中提交更正申请。"
                    )
        self.fields["applicant_type"].choices = [
            (value, label) for value, label in ApplicantType.choices if value in SELF_REGISTERING
        ]
        self.fields["dispatch_training_base"].queryset = TrainingBase.objects.order_by(
            "province__code", "sort_order", "id"
        )
        self.fields["dispatch_specialty"].queryset = Specialty.objects.order_by("code")
        self.fields["held_certificate_specialties"].queryset = Specialty.objects.order_by("code")
        _blank_labels(self, qualification_category=_("未取得执业医师资格证书"))

    def clean_mobile(self):
        mobile = self.cleaned_data["mobile"].strip()
        if mobile and not is_mobile(mobile):
            raise forms.ValidationError(_("请输入11位手机号码。"))
        return mobile

    def validate_unique(self):
        """A number already in use is refused by the service, with its own message."""

    def validate_constraints(self):
        """As validate_unique: the service checks the identity document."""

    def clean(self):
        # Read before the number's own check, which drops a bad number from the cleaned data.
        number = (self.cleaned_data.get("id_number") or "").strip()
        data = super().clean()
        travel_permit = data.get("id_type") != IdentityDocumentType.RESIDENT_ID and len(number) not in (0, 18)
        if travel_permit:
            for field in ("birth_date", "sex"):
                if not data.get(field):
                    self.add_error(field, _("持通行证的请填写出生日期和性别。"))
        return data

    def groups(self):
        """(key, heading, hint, bound fields) per section, in the page's order."""
        return [(key, heading, hint, [self[name] for name in fields]) for key, heading, hint, fields in PROFILE_GROUPS]


class EducationForm(forms.ModelForm):
    class Meta:
        model = EducationRecord
        fields = ("school", "major", "major_category", "degree_level", "full_time", "graduation_date")
        widgets = {"graduation_date": _DATE}
        help_texts = {
            "major_category": _("按毕业证书上的专业选择；口腔、麻醉、影像等专业方向影响可报专业（二(二)）。"),
            "graduation_date": _("应届毕业生填写预计毕业时间。"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _blank_labels(self)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("材料类型"), choices=DocumentKind.choices)
    file = forms.FileField(
        label=_("文件"),
        help_text=_("PDF、JPEG 或 PNG，不超过 10 MB；手机可直接拍照上传。"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )


class ChoiceForm(forms.Form):
    quota = forms.IntegerField(min_value=1)


class WithdrawForm(forms.Form):
    application = forms.IntegerField(min_value=1)


class IdentityCorrectionForm(_IdentityDocumentCheck, forms.Form):
    full_name = forms.CharField(label=_("更正后的姓名"), max_length=60)
    id_type = forms.ChoiceField(label=_("证件类型"), choices=IdentityDocumentType.choices)
    id_number = forms.CharField(
        label=_("更正后的证件号码"), max_length=30, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    birth_date = forms.DateField(
        label=_("出生日期"), required=False, widget=_DATE, help_text=_("只有持通行证的需要填写。")
    )
    sex = forms.ChoiceField(label=_("性别"), choices=[("", _("由证件号码得出")), *Sex.choices], required=False)
    reason = forms.CharField(label=_("更正理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    document = forms.FileField(
        label=_("证明材料（PDF、JPEG 或 PNG）"), required=False, help_text=_("如身份证件、户籍证明或更名证明。")
    )


class IdentityClaimForm(_IdentityDocumentCheck, forms.Form):
    id_type = forms.ChoiceField(label=_("证件类型"), choices=IdentityDocumentType.choices)
    id_number = forms.CharField(label=_("您的证件号码"), max_length=30)
    training_base = forms.ModelChoiceField(
        label=_("到哪家培训基地当面核验"),
        queryset=TrainingBase.objects.order_by("province__code", "sort_order", "id"),
        help_text=_("请携带身份证件原件到该基地招收办公室。"),
    )
    reason = forms.CharField(label=_("情况说明"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class ReviewForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("审核结果"),
        choices=[("1", _("同意")), ("0", _("不同意"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("审核意见"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


def _draft_fields(form_class):
    """The names an autosaved draft of the form may keep: every field but passwords and files."""
    return frozenset(
        name
        for name, field in form_class.base_fields.items()
        if not isinstance(field.widget, forms.PasswordInput | forms.FileInput)
    )


# The applicant's forms that autosave a draft (portal.drafts), by the draft's form key.
DRAFT_FIELDS = {"profile": _draft_fields(ProfileForm), "education": _draft_fields(EducationForm)}
