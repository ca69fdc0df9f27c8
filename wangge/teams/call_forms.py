"""The call form (the call and a formset of its posts) and the assignment form."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wangge.accounts.authority import areas_held
from wangge.core.roles import Action
from wangge.regions.models import Community, Street
from wangge.teams.models import CallKind, Skill, Team, TeamKind
from wangge.teams.services.calls import CallInput, PostInput

LOCAL = "%Y-%m-%dT%H:%M"
SKILLS = [("", _("不限"))] + list(Skill.choices)


def _bulma(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.Textarea):
            widget.attrs["class"] = "textarea"
        elif isinstance(widget, forms.widgets.Input) and not isinstance(
            widget, forms.CheckboxInput
        ):
            widget.attrs["class"] = "input is-small" if isinstance(form, PostForm) else "input"


def _when(label: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        input_formats=[LOCAL],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL),
    )


class CallForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=CallKind.choices)
    title = forms.CharField(label=_("标题"), max_length=80)
    text = forms.CharField(
        label=_("召集内容"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    area = forms.ChoiceField(label=_("范围"))
    teams = forms.ModelMultipleChoiceField(
        label=_("队伍"),
        queryset=Team.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    team_kinds = forms.MultipleChoiceField(
        label=_("或按队伍类别"),
        choices=TeamKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    skill = forms.ChoiceField(label=_("所需技能"), choices=SKILLS, required=False)
    deadline = _when(_("响应截止"))
    send_now = forms.BooleanField(label=_("立即发出"), required=False, initial=True)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        streets = areas_held(user, Action.EDIT, Street)
        communities = areas_held(user, Action.EDIT, Community).select_related("street")
        self.areas: dict[str, tuple[Street, Community | None]] = {
            f"s{s.pk}": (s, None) for s in streets
        }
        self.areas |= {f"c{c.pk}": (c.street, c) for c in communities}
        self.fields["area"].choices = [  # type: ignore[attr-defined]
            (
                key,
                f"{street.name}（全街道）"
                if community is None
                else f"{street.name}·{community.name}",
            )
            for key, (street, community) in self.areas.items()
        ]
        _bulma(self)
        teams = Team.objects.restrict(user, Action.EDIT).select_related("community")
        self.fields["teams"].queryset = teams  # type: ignore[attr-defined]

    def data_object(self, posts: list[PostInput]) -> CallInput:
        street, community = self.areas[self.cleaned_data["area"]]
        return CallInput(
            kind=self.cleaned_data["kind"],
            title=self.cleaned_data["title"],
            text=self.cleaned_data["text"],
            deadline=self.cleaned_data["deadline"],
            posts=posts,
            street=street,
            community=community,
            teams=list(self.cleaned_data["teams"]),
            team_kinds=self.cleaned_data["team_kinds"],
            skill=self.cleaned_data["skill"],
        )


class PostForm(forms.Form):
    name = forms.CharField(label=_("岗位"), max_length=60)
    place = forms.CharField(label=_("地点"), max_length=100)
    starts_at = _when(_("开始"))
    ends_at = _when(_("结束"))
    needed = forms.IntegerField(label=_("需要人数"), min_value=1, max_value=10000)
    skill = forms.ChoiceField(label=_("所需技能"), choices=SKILLS, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bulma(self)

    def data_object(self) -> PostInput:
        return PostInput(**self.cleaned_data)


PostFormSet = forms.formset_factory(PostForm, extra=5, max_num=30, min_num=1, validate_min=True)


def posts_of(formset: forms.BaseFormSet) -> list[PostInput]:
    return [
        form.data_object() for form in formset.forms if form.has_changed() and form.cleaned_data
    ]
