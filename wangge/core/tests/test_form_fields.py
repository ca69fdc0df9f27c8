import pytest
from django import forms

from wangge.core.form_fields import choice_field, model_choice
from wangge.regions.models import Street


class _Form(forms.Form):
    street = forms.ModelChoiceField(queryset=Street.objects.none())
    kind = forms.ChoiceField(choices=[("a", "A")])
    note = forms.CharField()


def test_a_field_comes_back_as_the_class_it_is():
    form = _Form()
    assert model_choice(form, "street") is form.fields["street"]
    assert choice_field(form, "kind") is form.fields["kind"]


def test_a_field_of_another_class_is_refused():
    with pytest.raises(TypeError, match="note is a CharField, not a ModelChoiceField"):
        model_choice(_Form(), "note")
    with pytest.raises(TypeError, match="note is a CharField, not a ChoiceField"):
        choice_field(_Form(), "note")
