from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from wangge.accounts.models import User
from wangge.core.roles import Action
from wangge.devices.models import Device
from wangge.devices.services import DeviceData
from wangge.measures.models import PersonMeasure


class DeviceForm(forms.Form):
    measure = forms.ModelChoiceField(
        label=_("监看的管控措施"), queryset=PersonMeasure.objects.none()
    )
    kind = forms.ChoiceField(label=_("类型"), choices=Device.Kind.choices)
    vendor = forms.CharField(label=_("厂商"), max_length=60)
    serial = forms.CharField(
        label=_("序列号"), max_length=64, help_text=_("字母、数字、-和_，与设备上的一致")
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["measure"])
        field.queryset = (
            PersonMeasure.objects.restrict(user, Action.EDIT)
            .active()
            .filter(person__household__isnull=False)
            .select_related("person__household__building__compound", "measure_type")
        )
        field.label_from_instance = lambda measure: (  # type: ignore[method-assign,assignment]  # Django's per-instance label
            f"{measure.person.name} · {measure.person.household} · {measure.measure_type.name}"
        )

    def data_object(self) -> DeviceData:
        data = self.cleaned_data
        return DeviceData(
            measure=data["measure"], kind=data["kind"], vendor=data["vendor"], serial=data["serial"]
        )
