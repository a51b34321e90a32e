"""Privacy (GDPR): find, export and erase everything about one phone number.

`decroche privacy export|delete NUMBER` (agent.privacy.cli) and the dashboard's
POST /privacy/delete run the same code: agent.privacy.records finds, agent.privacy.actions acts
and logs. No aiohttp here.
"""

from __future__ import annotations

from agent.privacy.actions import AuditLog, Deleted, delete_subject, export_subject
from agent.privacy.records import Subject, find_subject, normal_number

__all__ = [
    "AuditLog",
    "Deleted",
    "Subject",
    "delete_subject",
    "export_subject",
    "find_subject",
    "normal_number",
]
