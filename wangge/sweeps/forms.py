"""The campaign form of /sweeps/new/: the grids the user may sweep, the checks of the library."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wangge.accounts.authority import areas_held
from wangge.accounts.models import User
from wangge.core.roles import Action
from wangge.regions.models import Building, Community, Grid
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


class BuildingChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.grid.name} · {obj.compound.name}{obj.name}"


class SweepersForm(forms.Form):
    """Who sweeps which of the campaign's grids or buildings: the choices are the staff of the
    campaign's area and the grids (and their buildings) the user may assign."""

    sweeper = forms.ModelChoiceField(label=_("扫楼人员"), queryset=User.objects.none())
    grids = GridChoiceField(
        label=_("整个网格"),
        queryset=Grid.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    buildings = BuildingChoiceField(
        label=_("或者楼栋"),
        queryset=Building.objects.none(),
        required=False,
        help_text=_("按住 Ctrl 或 ⌘ 可多选"),
    )

    def __init__(self, *args: Any, candidates: Any, grids: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sweeper"].queryset = candidates  # type: ignore[attr-defined]  # a ModelChoiceField
        self.fields["grids"].queryset = grids  # type: ignore[attr-defined]  # a ModelMultipleChoiceField
        self.fields["buildings"].queryset = (  # type: ignore[attr-defined]  # a ModelMultipleChoiceField
            Building.objects.filter(grid__in=grids)
            .select_related("grid", "compound")
            .order_by("grid__name", "compound__name", "name")
        )
