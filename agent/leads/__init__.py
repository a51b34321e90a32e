"""Leads: what each call left for the artisan, stored in SQLite, pushed to an optional webhook.

`agent.leads.webhook` (aiohttp) is not imported here so the dialogue can use the model freely.
"""

from agent.leads.model import OUTCOMES, STATUSES, Lead, Outcome, Status, StoredLead, Turn
from agent.leads.store import LeadNotFound, LeadStore, SqliteLeadStore, lead_payload

__all__ = [
    "OUTCOMES",
    "STATUSES",
    "Lead",
    "LeadNotFound",
    "LeadStore",
    "Outcome",
    "SqliteLeadStore",
    "Status",
    "StoredLead",
    "Turn",
    "lead_payload",
]
