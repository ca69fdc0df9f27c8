"""Forms of the command centre. Choices offered to a user come from querysets restricted to them."""

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wangge.accounts.authority import areas_held
from wangge.accounts.models import User
from wangge.command.models import Department, Event, EventKind, Task, TaskKind, VerificationRow
from wangge.core.form_fields import choice_field, model_choice
from wangge.core.roles import Action
from wangge.core.shortcuts import related_rows
from wangge.people.models import Person
from wangge.regions.models import Community, Grid, Street


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several photos or files at once; each is checked by the service (type, size)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,.pdf,.xlsx,.docx"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class TaskForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    kind = forms.ModelChoiceField(
        label=_("类型"), queryset=TaskKind.objects.all(), empty_label=None
    )
    priority = forms.ChoiceField(
        label=_("紧急程度"), choices=Task.Priority.choices, initial=Task.Priority.HIGH
    )
    description = forms.CharField(
        label=_("内容"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    communities = forms.ModelMultipleChoiceField(
        label=_("社区"),
        queryset=Community.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    grids = forms.ModelMultipleChoiceField(
        label=_("网格"),
        queryset=Grid.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    departments = forms.ModelMultipleChoiceField(
        label=_("部门"),
        queryset=Department.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    users = forms.ModelMultipleChoiceField(
        label=_("人员"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    due_at = forms.DateTimeField(
        label=_("办结时限"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("不填则按类型的默认时限"),
    )
    drill = forms.BooleanField(label=_("演练（拉练）"), required=False)
    files = MultipleFileField(label=_("附件或照片"))  # type: ignore[assignment]  # a declared field, not BaseForm.files

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "communities").queryset = areas_held(user, Action.EDIT, Community)
        model_choice(self, "grids").queryset = Grid.objects.restrict(
            user, Action.EDIT
        ).select_related("community")
        streets = list(areas_held(user, Action.EDIT, Street))
        if streets:
            model_choice(self, "departments").queryset = Department.objects.filter(
                Q(street__in=streets) | Q(street__isnull=True)
            )
            model_choice(self, "users").queryset = (
                (
                    User.objects.filter(is_active=True, role_assignments__street__in=streets)
                    | User.objects.filter(
                        is_active=True, role_assignments__community__street__in=streets
                    )
                    | User.objects.filter(
                        is_active=True, role_assignments__grid__community__street__in=streets
                    )
                )
                .distinct()
                .order_by("full_name", "username")
            )
        else:
            for name in ("departments", "users"):
                del self.fields[name]

    def assignees(self) -> list[Any]:
        data = self.cleaned_data
        return [
            *data.get("communities", []),
            *data.get("grids", []),
            *data.get("departments", []),
            *data.get("users", []),
        ]

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        if not self.errors and not self.assignees():
            raise forms.ValidationError(_("请至少选择一个承办单位 / choose at least one assignee"))
        return data


class WhistleForm(forms.Form):
    community = forms.ModelChoiceField(
        label=_("吹哨社区"), queryset=Community.objects.none(), empty_label=None
    )
    departments = forms.ModelMultipleChoiceField(
        label=_("报到部门"), queryset=Department.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    title = forms.CharField(label=_("事由"), max_length=200)
    description = forms.CharField(
        label=_("情况"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    priority = forms.ChoiceField(
        label=_("紧急程度"), choices=Task.Priority.choices, initial=Task.Priority.HIGH
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "community").queryset = areas_held(user, Action.EDIT, Community)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("说明"), max_length=500, required=False)


class FeedbackForm(forms.Form):
    text = forms.CharField(
        label=_("反馈内容"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    figure_label = forms.CharField(
        label=_("数据项"), max_length=30, required=False, help_text=_("如：已排查户数")
    )
    figure_value = forms.DecimalField(
        label=_("数值"), required=False, max_digits=12, decimal_places=2
    )
    files = MultipleFileField(label=_("照片或附件"))  # type: ignore[assignment]  # a declared field, not BaseForm.files
    client_id = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def figures(self) -> dict[str, float]:
        label = self.cleaned_data.get("figure_label", "").strip()
        value = self.cleaned_data.get("figure_value")
        if label and value is not None:
            return {label: float(value)}
        return {}

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        if bool(data.get("figure_label", "").strip()) != (data.get("figure_value") is not None):
            raise forms.ValidationError(
                _("数据项和数值须同时填写 / give both the figure's name and its value")
            )
        return data


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("名单文件（.xlsx）"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.csv"}),
    )
    title = forms.CharField(
        label=_("名单名称"), max_length=200, required=False, help_text=_("不填则用文件名")
    )
    street = forms.ModelChoiceField(
        label=_("街道"), queryset=Street.objects.none(), empty_label=None
    )
    community = forms.ModelChoiceField(
        label=_("社区名单"),
        queryset=Community.objects.none(),
        required=False,
        help_text=_("社区自己的名单：未匹配的行交社区处理"),
    )
    deadline = forms.DateTimeField(
        label=_("反馈时限"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("行内“反馈时限”优先；都不填则按默认时限"),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "street").queryset = Street.objects.restrict(user)
        model_choice(self, "community").queryset = areas_held(user, Action.EDIT, Community)


class AnswerForm(forms.Form):
    result = forms.ChoiceField(label=_("核查结果"), choices=VerificationRow.Result.choices)
    note = forms.CharField(label=_("核查说明"), max_length=500, required=False)
    # Measures are a floor above command: the row's foreign key names the model.
    measure = forms.ModelChoiceField(
        label=_("管控措施"),
        queryset=related_rows(VerificationRow, "measure").none(),
        required=False,
    )

    def __init__(self, *args: Any, row: VerificationRow, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if row.person_id:
            measures = related_rows(VerificationRow, "measure")
            model_choice(self, "measure").queryset = (
                measures.restrict(user)
                .filter(person_id=row.person_id)
                .select_related("measure_type", "person")
            )
        else:
            del self.fields["measure"]


class EventForm(forms.Form):
    kind = forms.ModelChoiceField(
        label=_("类型"), queryset=EventKind.objects.all(), empty_label=None
    )
    title = forms.CharField(label=_("标题"), max_length=200)
    description = forms.CharField(
        label=_("情况"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    source = forms.CharField(
        label=_("来源"), max_length=200, required=False, help_text=_("如：12345工单号")
    )
    grid = forms.ModelChoiceField(label=_("网格"), queryset=Grid.objects.none(), required=False)
    person_query = forms.CharField(
        label=_("涉及人员"),
        required=False,
        help_text=_("姓名、拼音首字母或证件后四位，多人用逗号分隔；按第一位的住户定位"),
    )
    reporter_name = forms.CharField(label=_("反映人"), max_length=50, required=False)
    reporter_phone = forms.CharField(label=_("反映人电话"), max_length=20, required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        model_choice(self, "grid").queryset = Grid.objects.restrict(user).select_related(
            "community"
        )

    def clean_person_query(self) -> list[Person]:
        found = []
        for part in self.cleaned_data.get("person_query", "").replace("，", ",").split(","):
            if not part.strip():
                continue
            matches = list(Person.objects.restrict(self.user).search(part)[:2])
            if len(matches) != 1:
                raise forms.ValidationError(
                    _(
                        "“%(q)s”找到%(n)s人，请写得更具体 / '%(q)s' matches %(n)s persons; be more specific"
                    )
                    % {"q": part.strip(), "n": len(matches) if matches else 0}
                )
            found.append(matches[0])
        return found


class EventActionForm(forms.Form):
    note = forms.CharField(label=_("说明"), max_length=500, required=False)
    satisfaction = forms.ChoiceField(
        label=_("反映人满意度"), choices=[("", "—"), *Event.Satisfaction.choices], required=False
    )


class HandOverForm(forms.Form):
    target = forms.ChoiceField(label=_("转交给"))
    note = forms.CharField(label=_("说明"), max_length=500, required=False)

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(f"street:{event.street_id}", f"{event.street}{_('指挥中心')}")]
        choices += [
            (f"community:{c.pk}", c.name) for c in Community.objects.filter(street=event.street_id)
        ]
        choices += [
            (f"grid:{g.pk}", str(g))
            for g in Grid.objects.filter(community__street=event.street_id).select_related(
                "community"
            )
        ]
        choices += [(f"department:{d.pk}", d.name) for d in Department.objects.all()]
        choice_field(self, "target").choices = choices

    def target_unit(self) -> Any:
        kind, pk = self.cleaned_data["target"].split(":")
        model = {"street": Street, "community": Community, "grid": Grid, "department": Department}[
            kind
        ]
        return model._default_manager.get(pk=int(pk))


class ReviewForm(forms.Form):
    conclusion = forms.CharField(
        label=_("研判结论"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
