"""What the resident's code page shows beside the QR: the state a checkpoint judges, as the
checkpoint's own rules function gives it (checkpoints.services.standing), never a rule of the
portal's own — the verdict for going out (the stricter way) and coming in, the health-code colour,
the stay-home measure the checkpoint counts, and the latest nucleic-acid test."""

from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.checkpoints.rules import Reason, Verdict
from wangge.checkpoints.services.standing import person_standing
from wangge.measures.models import PersonMeasure
from wangge.measures.models.health_codes import CodeColour
from wangge.people.models import Person
from wangge.testing.models import LabResult


def _measure(measure_id: int | None) -> dict[str, str] | None:
    if measure_id is None:
        return None
    measure = PersonMeasure.objects.select_related("measure_type").get(pk=measure_id)
    return {"kind": measure.measure_type.name, "until": measure.end.isoformat()}


def _test(person: Person) -> dict[str, str] | None:
    result = LabResult.objects.filter(person=person).order_by("-sampled_at", "-id").first()
    if result is None:
        return None
    day = timezone.localdate(result.sampled_at).isoformat()
    return {"date": day, "result": str(result.get_result_display())}


def code_state(person: Person, at: datetime) -> dict[str, Any]:
    """The state as of `at`, with the words the page shows (`text`, by the page's data-state keys)."""
    standing = person_standing(person.pk, at)
    out, back = standing.going_out, standing.coming_in
    colour = standing.found.code_colour
    measure = _measure(standing.found.stay_home_measure)
    test = _test(person)
    clock = timezone.localtime(at).strftime("%H:%M:%S")
    reasons = "、".join(str(Reason(code).label) for code in out.reasons)
    return {
        "verdict": out.verdict,
        "verdict_in": back.verdict,
        "reasons": list(out.reasons),
        "colour": colour,
        "measure": measure,
        "test": test,
        "at": at.isoformat(),
        "text": {
            "verdict": _("出门：%(verdict)s") % {"verdict": Verdict(out.verdict).label},
            "verdict_in": str(Verdict(back.verdict).label),
            "reasons": reasons,
            "colour": str(CodeColour(colour).label) if colour else _("无记录"),
            "measure": (_("%(kind)s，至 %(until)s") % measure if measure is not None else _("无")),
            "test": _("%(date)s %(result)s") % test if test is not None else _("无记录"),
            "clock": clock,
        },
    }
