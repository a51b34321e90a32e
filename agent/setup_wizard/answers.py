"""Each answer of `decroche init`, parsed and checked as typed; AnswerError says what is wrong
in words an installer can act on (the question is asked again, or the flag is refused).

Numbers go through phonenumbers (French national or international forms, spaces and dots
allowed), trades come from the list the dialogue knows, hours accept English or French days.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from collections.abc import Callable, Mapping

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from agent.config_core import HOURS, WEEKDAYS
from nlp.types import TRADES

FRENCH_DAYS = dict(zip(("lun", "mar", "mer", "jeu", "ven", "sam", "dim"), WEEKDAYS, strict=True))
HOSTNAME = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*"
                      r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")  # fmt: skip
TIME = re.compile(r"\b(\d{1,2})(?:[h:](\d{2})?)")
TWILIO_SID = re.compile(r"^AC[0-9a-f]{32}$")
TWILIO_TOKEN = re.compile(r"^[0-9a-f]{32}$")
OVH_SERVICE = re.compile(r"^sms-[a-z]{2}\d+-\d+$")
NONE_WORDS = frozenset({"none", "no", "non", "aucun", "-", ""})
SMS_PROVIDERS = ("local", "ovh", "twilio")


class AnswerError(ValueError):
    """An answer that cannot go into the config; the message says why and what is expected."""


def _fold(text: str) -> str:
    """Lower case without accents: "Électricien" and "electricien" are one answer."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def business_name(raw: str) -> str:
    name = " ".join(raw.split())
    if not name:
        raise AnswerError("the business name cannot be empty")
    if len(name) > 80:
        raise AnswerError(f"at most 80 characters (this is {len(name)})")
    return name


def trade(raw: str) -> str:
    folded = _fold(raw)
    if folded not in TRADES:
        raise AnswerError(f"{raw.strip()!r} is not a known trade: one of {', '.join(TRADES)}")
    return folded


def mobile(raw: str) -> str:
    """A French mobile (06, 07; +33 6/7): the fallback line and where the texts go."""
    number = _phone(raw, "FR")
    if phonenumbers.region_code_for_number(number) != "FR":
        raise AnswerError(f"{raw.strip()!r} is not a French number")
    kind = phonenumbers.number_type(number)
    if kind not in (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE):
        raise AnswerError(
            f"{raw.strip()!r} is not a mobile (06 or 07): the artisan receives texts on it"
        )
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def any_phone(raw: str) -> str:
    """Any valid number, international form (a provider's sending number)."""
    return phonenumbers.format_number(_phone(raw, "FR"), PhoneNumberFormat.E164)


def _phone(raw: str, region: str) -> phonenumbers.PhoneNumber:
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        raise AnswerError(f"{raw.strip()!r} is not a phone number") from None
    if not phonenumbers.is_valid_number(number):
        raise AnswerError(f"{raw.strip()!r} is not a valid phone number (a digit missing?)")
    return number


def hours(raw: str) -> dict[str, str]:
    """`mon-fri 08:00-18:00; sat 09:00-12:00` (or `lun-ven ...`): every day left out is closed."""
    week = dict.fromkeys(WEEKDAYS, "closed")
    groups = [g.strip() for g in re.split(r"[;\n]", raw) if g.strip()]
    if not groups:
        raise AnswerError("give at least one day, e.g. mon-fri 08:00-18:00")
    for group in groups:
        parts = group.split(maxsplit=1)
        if len(parts) != 2:
            raise AnswerError(f"{group!r}: expected DAYS HH:MM-HH:MM, e.g. mon-fri 08:00-18:00")
        span = _span("".join(parts[1].split()))  # "08:00 - 18:00" is 08:00-18:00
        for day in _days(parts[0]):
            week[day] = span
    return week


def _span(raw: str) -> str:
    if _fold(raw) in ("closed", "ferme"):
        return "closed"
    # French writing: 8h-12h, 8h30-18h; and 8:00 for 08:00.
    text = TIME.sub(lambda m: f"{int(m.group(1)):02d}:{m.group(2) or '00'}", raw.lower())
    if not HOURS.match(text):
        raise AnswerError(f"{text!r}: expected HH:MM-HH:MM (24 h), e.g. 08:00-18:00")
    start, end = text.split("-")
    if end <= start:
        raise AnswerError(f"{text!r}: the closing time must come after the opening time")
    return text


def _day(text: str) -> str:
    key = _fold(text)[:3]
    day = key if key in WEEKDAYS else FRENCH_DAYS.get(key)
    if day is None:
        raise AnswerError(f"{text!r} is not a day (mon..sun or lun..dim)")
    return day


def _days(text: str) -> list[str]:
    chosen: list[str] = []
    for item in text.split(","):
        if "-" in item:
            first, last = (WEEKDAYS.index(_day(x)) for x in item.split("-", 1))
            if last < first:
                raise AnswerError(f"{item!r}: a range goes forward in the week (mon-fri)")
            chosen.extend(WEEKDAYS[first : last + 1])
        else:
            chosen.append(_day(item))
    return chosen


def towns(raw: str) -> list[str]:
    names = [" ".join(t.split()) for t in raw.split(",")]
    names = [n for n in names if n]
    if not names:
        raise AnswerError("give at least one town, separated by commas")
    bad = [n for n in names if not any(c.isalpha() for c in n)]
    if bad:
        raise AnswerError(f"{bad[0]!r} is not a town name")
    return list(dict.fromkeys(names))


def registrar(raw: str) -> tuple[str, int] | None:
    """`host[:port]` of the operator's SIP registrar, or none (no trunk on this box)."""
    text = raw.strip()
    if _fold(text) in NONE_WORDS:
        return None
    text = text.removeprefix("sip:")
    host, _, port_text = text.rpartition(":") if ":" in text else (text, "", "")
    port = 5060
    if port_text:
        if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
            raise AnswerError(f"{port_text!r} is not a port (1-65535)")
        port = int(port_text)
    if not _is_host(host):
        raise AnswerError(f"{host!r} is not a host name or IP address")
    return host, port


def _is_host(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return bool(HOSTNAME.match(text)) and not text.replace(".", "").isdigit()
    return True


def required_text(label: str) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        text = raw.strip()
        if not text or any(c.isspace() for c in text):
            raise AnswerError(f"the {label} cannot be empty or hold spaces")
        return text

    return parse


def sms_provider(raw: str) -> str:
    folded = _fold(raw) or "local"
    if folded not in SMS_PROVIDERS:
        raise AnswerError(f"{raw.strip()!r}: one of {', '.join(SMS_PROVIDERS)}")
    return folded


def pattern(label: str, regex: re.Pattern[str], example: str) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        text = raw.strip()
        if not regex.match(text):
            raise AnswerError(f"{text!r} is not {label} (like {example})")
        return text

    return parse


def hours_text(week: Mapping[str, str]) -> str:
    """The week back as the installer typed it, for defaults shown in the prompt."""
    return "; ".join(f"{day} {span}" for day, span in week.items() if span != "closed")
