"""Sweeps: campaigns, and their visits, attempts and proposals."""

from wangge.sweeps.models.campaigns import Campaign, CampaignStatus
from wangge.sweeps.models.visits import (
    Attempt,
    AttemptResult,
    Proposal,
    ProposalStatus,
    Visit,
    VisitStatus,
)

__all__ = [
    "Attempt",
    "AttemptResult",
    "Campaign",
    "CampaignStatus",
    "Proposal",
    "ProposalStatus",
    "Visit",
    "VisitStatus",
]
