"""Forms of the sign-in, staff and token pages. They parse; the services decide."""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.auth.password_validation import password_validators_help_texts
from django.utils.translation import gettext_lazy as _

from wangge.accounts.grants import (
    Area,
    area_label,
    area_level,
    can_grant,
    grantable_roles,
)
from wangge.core.form_fields import choice_field, field_of, model_choice
from wangge.core.roles import Role
from wangge.regions.models import Community, Grid, Street


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("用户名"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class PasswordForm(PasswordChangeForm):
    """Old password, then the new one twice; the validators' rules are shown under the field."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = " ".join(password_validators_help_texts())


NO_AREA = "all"


def _area_key(area: Area) -> str:
    return f"{area_level(area)}:{area.pk}" if area is not None else NO_AREA


def manageable_areas(manager: Any) -> list[tuple[str, str]]:
    """(key, label) of every area on which `manager` may grant at least one role."""
    roles = grantable_roles(manager)
    areas: list[Area] = [None] if Role.ADMIN in roles else []
    areas += list(Street.objects.restrict(manager, "manage_staff"))
    areas += list(Community.objects.restrict(manager, "manage_staff").select_related("street"))
    areas += list(
        Grid.objects.restrict(manager, "manage_staff").select_related("community__street")
    )
    return [("", str(_("请选择区域")))] + [
        (_area_key(area), area_label(area) or str(_("全部区域（系统管理员）")))
        for area in areas
        if any(can_grant(manager, role, area) for role in roles)
    ]


def area_from_key(key: str) -> Area:
    if key == NO_AREA:
        return None
    level, _sep, pk = key.partition(":")
    areas: dict[str, type[Street | Community | Grid]] = {
        "street": Street,
        "community": Community,
        "grid": Grid,
    }
    model = areas.get(level)
    if model is None or not pk.isdigit():
        raise forms.ValidationError(_("区域无效 / invalid area"))
    found = model._default_manager.filter(pk=int(pk)).first()
    if found is None:
        raise forms.ValidationError(_("区域无效 / invalid area"))
    return found


class GrantForm(forms.Form):
    """A role on an area, offered as the manager may grant them (the service checks again)."""

    role = forms.ChoiceField(label=_("角色"))
    area = forms.ChoiceField(
        label=_("区域"),
        help_text=_(
            "街道指挥、流调专班在街道；社区工作者在社区；网格员在网格；片医、片警在社区或网格"
        ),
    )

    def __init__(self, *args: Any, manager: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "role").choices = [(r, Role(r).label) for r in grantable_roles(manager)]
        choice_field(self, "area").choices = manageable_areas(manager)

    def clean_area(self) -> Area:
        return area_from_key(self.cleaned_data.get("area", ""))

    def grant(self) -> dict[str, Any]:
        """The role and area chosen, as the services take them."""
        return {"role": self.cleaned_data["role"], "area": self.cleaned_data["area"]}


class StaffCreateForm(GrantForm):
    username = forms.CharField(label=_("用户名"), max_length=150)
    full_name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False)

    field_order = ["username", "full_name", "phone", "role", "area"]


class StaffImportForm(forms.Form):
    street = forms.ModelChoiceField(label=_("街道"), queryset=Street.objects.none())
    file = forms.FileField(
        label=_("文件"),
        help_text=_("Excel 工作簿 (.xlsx/.xls)，表头：用户名/账号、姓名、手机号、角色、社区、网格"),
    )

    def __init__(self, *args: Any, manager: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        streets = Street.objects.restrict(manager, "manage_staff")
        model_choice(self, "street").queryset = streets
        if len(streets) == 1:
            self.fields["street"].initial = streets[0].pk

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".xls")):
            raise forms.ValidationError(
                _("请上传 .xlsx 或 .xls 文件 / upload an .xlsx or .xls file")
            )
        return upload


class TokenForm(forms.Form):
    name = forms.CharField(label=_("接入系统"), max_length=100)
    username = forms.CharField(label=_("代表账号（用户名）"), max_length=150)
    days = forms.IntegerField(label=_("有效天数"), min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        longest = settings.WANGGE["API_TOKEN_DAYS"]
        self.fields["days"].initial = longest
        field_of(self, "days", forms.IntegerField).max_value = longest
        self.fields["days"].widget.attrs["max"] = longest
