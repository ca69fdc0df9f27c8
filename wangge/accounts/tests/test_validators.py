import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from wangge.accounts.services import one_time_password
from wangge.accounts.validators import CharacterClassValidator


@pytest.mark.parametrize(
    "password", ["abcdefgh1", "ABCDEFGH1", "abcdefgh!", "12345678!!", "abcdEFGH"]
)
def test_two_classes_are_refused(password):
    with pytest.raises(ValidationError) as caught:
        CharacterClassValidator().validate(password)

    assert caught.value.error_list[0].code == "password_too_simple"


@pytest.mark.parametrize(
    "password", ["abcdEFG1", "abcdefg1!", "ABCDEFG1!", "abcDEF!!", "Demo-Pass-2026"]
)
def test_three_or_four_classes_pass(password):
    CharacterClassValidator().validate(password)


def test_settings_require_eight_characters_and_three_classes(db):
    with pytest.raises(ValidationError):
        validate_password("aB3$xyz")  # 7 characters, 4 classes
    with pytest.raises(ValidationError):
        validate_password("wanggewangge")  # long, one class
    validate_password("Wangge-grid-7")


def test_one_time_passwords_pass_the_validators(db):
    for _ in range(50):
        password = one_time_password()
        validate_password(password)
        assert len(password) == 12


def test_the_length_rule_speaks_chinese(db):
    with pytest.raises(ValidationError) as caught:
        validate_password("aB3$xyz")

    assert "至少需要8个字符" in " ".join(caught.value.messages)
