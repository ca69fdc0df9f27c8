"""Venues: the register, visits, inspections and cards, disinfection logs; one module per concept."""

from wangge.venues.models.disinfection import (
    DisinfectionLog,
    DisinfectionMiss,
    DisinfectionRule,
    PlaceKind,
    Requirement,
)
from wangge.venues.models.imports import VenueImport
from wangge.venues.models.inspections import (
    Card,
    CardColour,
    CardRules,
    ChecklistItem,
    Inspection,
    InspectionItem,
    InspectionPhoto,
)
from wangge.venues.models.register import (
    INSPECT,
    EventKind,
    Venue,
    VenueEvent,
    VenueKind,
    VenueStaff,
    VenueStatus,
)
from wangge.venues.models.reminders import CardReminder
from wangge.venues.models.visits import Visit

__all__ = [
    "INSPECT",
    "Card",
    "CardColour",
    "CardReminder",
    "CardRules",
    "ChecklistItem",
    "DisinfectionLog",
    "DisinfectionMiss",
    "DisinfectionRule",
    "EventKind",
    "Inspection",
    "InspectionItem",
    "InspectionPhoto",
    "PlaceKind",
    "Requirement",
    "Venue",
    "VenueEvent",
    "VenueImport",
    "VenueKind",
    "VenueStaff",
    "VenueStatus",
    "Visit",
]
