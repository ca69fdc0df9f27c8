from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wangge.core.identity import IdentityError, parse_phone
from wangge.notify.channels.sms import mobile

NOT_MOBILE = _("请输入能接收短信的手机号码 / enter a mobile number that receives SMS")


class PhoneForm(forms.Form):
    phone = forms.CharField(label=_("手机号码"), max_length=40)

    def clean_phone(self) -> str:
        try:
            phone = mobile(parse_phone(self.cleaned_data["phone"]))
        except IdentityError as error:
            raise ValidationError(NOT_MOBILE) from error
        if not phone:
            raise ValidationError(NOT_MOBILE)
        return phone


class CodeForm(forms.Form):
    code = forms.CharField(label=_("验证码"), max_length=20)
