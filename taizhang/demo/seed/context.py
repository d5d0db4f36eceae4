from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass
class Township:
    """What the orgs area built for one township, for the areas after it."""

    committee: object
    grassroots: list = field(default_factory=list)
    branches: list = field(default_factory=list)
    members: list = field(default_factory=list)
    members_by_org: dict = field(default_factory=dict)
    leaders: list = field(default_factory=list)  # (member, role, title) of the leading group
    admin: object = None


@dataclass
class SeedContext:
    rng: random.Random
    county: object = None
    townships: list[Township] = field(default_factory=list)
    campaign: object = None
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (who, username, password)
    password: str = "demo2023"
    scale: bool = False
    out: object = None

    def say(self, text: str) -> None:
        if self.out is not None:
            self.out.write(text)
