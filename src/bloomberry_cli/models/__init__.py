"""pydantic models of the five workspace file kinds."""

from __future__ import annotations

from pydantic import BaseModel

from bloomberry_cli.models.brief import Brief, ParticipantSelector
from bloomberry_cli.models.calendar import Calendar, Campaign
from bloomberry_cli.models.claims import ApprovedClaim, BlockedClaim, Claims
from bloomberry_cli.models.common import PROGRAMS, Program
from bloomberry_cli.models.config import Channel, Config
from bloomberry_cli.models.voice import Style, Voice

#: `bb schema NAME` → model, and the file each kind lives in.
KINDS: dict[str, tuple[type[BaseModel], str]] = {
    "config": (Config, "bloomberry.yaml"),
    "brief": (Brief, "briefs/*.yaml"),
    "voice": (Voice, "voices/*.yaml"),
    "claims": (Claims, "claims.yaml"),
    "calendar": (Calendar, "calendar.yaml"),
}

__all__ = [
    "KINDS",
    "PROGRAMS",
    "ApprovedClaim",
    "BlockedClaim",
    "Brief",
    "Calendar",
    "Campaign",
    "Channel",
    "Claims",
    "Config",
    "ParticipantSelector",
    "Program",
    "Style",
    "Voice",
]
