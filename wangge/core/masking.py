"""How ID numbers and phones look to someone who has not asked to reveal them."""


def mask_id_number(value: str) -> str:
    """110***********123X: the first three and last four characters stay."""
    if not value:
        return ""
    if len(value) <= 7:
        return value[0] + "*" * (len(value) - 1)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_phone(value: str) -> str:
    """138****5678 for a mobile; a landline keeps its area code and last four digits."""
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * (len(value) - 4) + value[-4:] if len(value) > 4 else "*" * len(value)
    if "-" in value:
        area, number, *extension = value.split("-")
        masked = f"{area}-{'*' * (len(number) - 4)}{number[-4:]}"
        return "-".join([masked, *extension])
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_name(value: str) -> str:
    """张*三 style, for checkpoint staff who must not read the register: keep the first character."""
    if not value:
        return ""
    if len(value) == 1:
        return value
    return value[0] + "*" * (len(value) - 1)
