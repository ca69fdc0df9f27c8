"""Control measures and follow-up: the models, one module per concept."""

from wangge.measures.models.arrivals import (
    RISK_RANK,
    ArrivalReport,
    RiskArea,
    RiskAreaChange,
    RiskLevel,
)
from wangge.measures.models.cases import Case
from wangge.measures.models.checkins import (
    TEMPERATURE_MAX,
    TEMPERATURE_MIN,
    CheckIn,
    Symptom,
    parse_temperature,
)
from wangge.measures.models.health_codes import (
    ALERT_COLOURS,
    CodeColour,
    HealthCodeBatch,
    HealthCodeChange,
    HealthCodeDigest,
)
from wangge.measures.models.measures import (
    CheckInSlot,
    MeasureEvent,
    MeasureTest,
    PersonMeasure,
)
from wangge.measures.models.rules import MeasureType, RuleSet

__all__ = [
    "ALERT_COLOURS",
    "RISK_RANK",
    "TEMPERATURE_MAX",
    "TEMPERATURE_MIN",
    "parse_temperature",
    "ArrivalReport",
    "Case",
    "CheckIn",
    "CheckInSlot",
    "CodeColour",
    "HealthCodeBatch",
    "HealthCodeChange",
    "HealthCodeDigest",
    "MeasureEvent",
    "MeasureTest",
    "MeasureType",
    "PersonMeasure",
    "RiskArea",
    "RiskAreaChange",
    "RiskLevel",
    "RuleSet",
    "Symptom",
]
