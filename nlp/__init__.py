"""French caller understanding: urgency, problem category and lead slots from transcripts.

from nlp import load_understander
nlu = load_understander(towns=config.business.towns)
u = nlu.understand("ça sent le gaz dans la cuisine", trade="chauffagiste")
"""

from nlp.address import Address, extract_address
from nlp.classifier import ModelNotFoundError
from nlp.letters import spelled_letters
from nlp.names import extract_name
from nlp.numbers import words_to_digits
from nlp.phone import extract_phone
from nlp.types import TRADES, Understanding, UnknownTradeError
from nlp.understander import Understander, load_understander

__all__ = [
    "TRADES",
    "Address",
    "ModelNotFoundError",
    "Understander",
    "Understanding",
    "UnknownTradeError",
    "extract_address",
    "extract_name",
    "extract_phone",
    "load_understander",
    "spelled_letters",
    "words_to_digits",
]
