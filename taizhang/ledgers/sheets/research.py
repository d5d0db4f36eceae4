"""调研走访, 干事创业清单 and 走访企业: the research ledgers (研), one module each (research_visits,
research_actions, research_enterprises); this module names them together. Research records are the
township's own, as in research/services.py: only a township admin (or a superuser, or the command line)
imports them, and only for the townships in his scope (common.admins_only).

None of these sheets has an organisation column: a row belongs to the township of the people it names
(带队领导 and 参加人员; 责任领导; 走访干部), else to the one 责任单位 names, else to the default one (--org, or
the importing user's township).

Every sheet is loaded whole (chunk=None): these ledgers hold tens to hundreds of rows, the rows of one
enterprise visit must be seen together, and a key twice in a file (but for 走访企业, whose rows sharing a key
are one visit's issues) is an error that names the other row. What each sheet decides, following the models
and services, is said in its module.
"""

from __future__ import annotations

from .research_actions import ACTIONS
from .research_enterprises import ENTERPRISE_VISITS
from .research_visits import VISITS

__all__ = ["ACTIONS", "ENTERPRISE_VISITS", "VISITS"]
