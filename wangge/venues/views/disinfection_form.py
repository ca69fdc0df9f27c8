"""The phone form of a disinfection log: a building (of the user's area) or a venue, the place,
where exactly, what was done, when (now by default), who did it, a photo."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wangge.accounts.models import User
from wangge.core.form_fields import model_choice
from wangge.core.roles import Action
from wangge.regions.models import Building
from wangge.venues.models import INSPECT, PlaceKind, Venue
from wangge.venues.services.disinfection import LogData, new_client_id


class DisinfectionForm(forms.Form):
    building = forms.ModelChoiceField(
        label=_("楼栋"), queryset=Building.objects.none(), required=False
    )
    venue = forms.ModelChoiceField(label=_("场所"), queryset=Venue.objects.none(), required=False)
    place = forms.ChoiceField(label=_("消杀部位"), choices=PlaceKind.choices)
    location = forms.CharField(
        label=_("具体位置"), max_length=100, required=False, help_text=_("如“2单元电梯”")
    )
    agent = forms.CharField(
        label=_("消杀内容"), max_length=100, help_text=_("如“含氯消毒液擦拭按键”")
    )
    done_at = forms.DateTimeField(
        label=_("消杀时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    done_by_name = forms.CharField(
        label=_("消杀人"), max_length=50, required=False, help_text=_("不填则为记录人")
    )
    photo = forms.FileField(
        label=_("照片"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )
    client_id = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        kwargs["initial"] = {
            "done_at": timezone.localtime().replace(second=0, microsecond=0),
            "client_id": new_client_id(),
            "place": PlaceKind.ELEVATOR,
            **kwargs.get("initial", {}),
        }
        super().__init__(*args, **kwargs)
        model_choice(self, "building").queryset = Building.objects.restrict(
            user, Action.EDIT
        ).select_related("compound")
        model_choice(self, "venue").queryset = Venue.objects.restrict(user, INSPECT)

    @property
    def may_log_anything(self) -> bool:
        return (
            model_choice(self, "building").queryset.exists()  # type: ignore[union-attr]  # set above
            or model_choice(self, "venue").queryset.exists()  # type: ignore[union-attr]  # set above
        )

    def data_object(self) -> LogData:
        data = self.cleaned_data
        return LogData(
            place=data["place"],
            agent=data["agent"],
            building=data["building"],
            venue=data["venue"],
            location=data["location"],
            done_at=data["done_at"],
            done_by_name=data["done_by_name"],
        )
