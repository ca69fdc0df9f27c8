from wangge.residents.models.accounts import Account, Session
from wangge.residents.models.registration import (
    Registration,
    RegistrationMember,
    RegistrationVehicle,
    Vehicle,
)

__all__ = [
    "Account",
    "Registration",
    "RegistrationMember",
    "RegistrationVehicle",
    "Session",
    "Vehicle",
]
