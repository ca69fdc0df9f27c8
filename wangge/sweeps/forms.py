"""The campaign form of /sweeps/new/: the grids the user may sweep, the checks of the library."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wangge.accounts.authority import areas_held
from wangge.accounts.models import User
from wangge.core.roles import Action
from wangge.regions.models import Community, Grid
from wangge.sweeps.checks import CHOOSABLE


class GridChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.community.name} · {obj.name}"


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=80)
    grids = GridChoiceField(
        label=_("网格"), queryset=Grid.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    checks = forms.MultipleChoiceField(
        label=_("检查项"), choices=CHOOSABLE, widget=forms.CheckboxSelectMultiple
    )
    since = forms.DateField(
        label=_("行程起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    deadline = forms.DateTimeField(
        label=_("完成时限"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        communities = areas_held(user, Action.EDIT, Community)
        self.fields["grids"].queryset = (  # type: ignore[attr-defined]  # a ModelMultipleChoiceField
            Grid.objects.filter(community__in=communities, parent__isnull=True)
            .select_related("community")
            .order_by("community__name", "name")
        )
