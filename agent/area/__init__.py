"""The service area as data: the streets of the towns served, from a BAN "adresses" file
indexed into SQLite, matched against what callers say (nlp.street_match)."""

from agent.area.ban import AreaFileError
from agent.area.service import SqliteServiceArea, load_area
from agent.area.settings import AreaSettings

__all__ = ["AreaFileError", "AreaSettings", "SqliteServiceArea", "load_area"]
