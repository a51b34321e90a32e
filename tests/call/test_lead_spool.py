"""Issue 9 point 3: the disk fills mid-call; the lead and the texts are never lost."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from agent.ari.models import Channel
from agent.call.context import CallContext
from agent.call.receptionist import Receptionist
from agent.dialogue import Action, Dialogue, SaveLead, SendSms
from agent.leads.model import Lead
from agent.media.codecs import ULAW
from agent.store.keeper import Keeper
from agent.store.spool import Spool, SpooledLead, SpooledSms, decode
from tests.call.fakes import context, receptionist_deps

CHANNEL = Channel("chan-5", "PJSIP/caller", "Up", caller_number="0698765432")
LEAD = Lead("callback_needed", caller_number="+33698765432", name="Karim Benali",
            street="12 avenue Jean Jaurès", city="Villeurbanne", problem="plus d'eau chaude",
            urgent=False)  # fmt: skip


@dataclass
class Disk:
    full: bool = False


@dataclass
class Leads:
    disk: Disk
    saved: list[Lead] = field(default_factory=list)

    def save(self, lead: Lead) -> int:
        if self.disk.full:
            raise sqlite3.OperationalError("database or disk is full")
        self.saved.append(lead)
        return len(self.saved)


@dataclass
class Texts:
    disk: Disk
    queued: list[tuple[str, str]] = field(default_factory=list)

    def enqueue(self, idem_key: str, recipient: str, text: str, kind: str) -> bool:
        if self.disk.full:
            raise sqlite3.OperationalError("database or disk is full")
        self.queued.append((recipient, kind))
        return True


class Ending:
    """The dialogue's hang-up ending: a lead, then a text to each side."""

    hint = None

    def on_hangup(self) -> list[Action]:
        return [
            SaveLead(LEAD),
            SendSms("0698765432", "Votre demande est notée.", "caller_recap"),
            SendSms("+33611111111", "Karim Benali, plus d'eau chaude", "artisan_recap"),
        ]


def _setup(tmp_path: Path, disk: Disk) -> tuple[Receptionist, Leads, Texts, Keeper]:
    leads, texts = Leads(disk), Texts(disk)
    keeper = Keeper(Spool(tmp_path / "spool"))
    deps = receptionist_deps(leads=leads, sms=texts, keeper=keeper)
    receptionist = Receptionist(deps, CHANNEL, ULAW.sample_rate)
    receptionist.dialogue = cast(Dialogue, Ending())
    return receptionist, leads, texts, keeper


def _call() -> CallContext:
    return context(CHANNEL, call_id=31)


def _spooled(keeper: Keeper) -> list[object]:
    assert keeper.spool is not None
    return [decode(line) for line in keeper.spool.path.read_text().splitlines()]


async def test_lead_refused_does_not_stop_the_texts(tmp_path: Path) -> None:
    disk = Disk()
    receptionist, leads, texts, keeper = _setup(tmp_path, disk)
    leads.disk = Disk(full=True)  # only the leads table refuses
    await receptionist.caller_hung_up(_call())
    assert [kind for _, kind in texts.queued] == ["caller_recap", "artisan_recap"]
    (spooled,) = _spooled(keeper)
    assert isinstance(spooled, SpooledLead)
    assert spooled.lead.name == "Karim Benali" and spooled.lead.city == "Villeurbanne"
    assert spooled.lead.call_id == 31 and spooled.lead.problem == "plus d'eau chaude"


async def test_disk_full_spools_the_lead_and_every_text(tmp_path: Path) -> None:
    receptionist, leads, texts, keeper = _setup(tmp_path, Disk(full=True))
    assert await receptionist.caller_hung_up(_call()) == "callback_needed"
    lead, *sms = _spooled(keeper)
    assert isinstance(lead, SpooledLead) and lead.lead.caller_number == "+33698765432"
    assert [s.kind for s in sms if isinstance(s, SpooledSms)] == ["caller_recap", "artisan_recap"]
    assert all(isinstance(s, SpooledSms) and s.idem_key.startswith("31:") for s in sms)
    assert not leads.saved and not texts.queued


async def test_handed_back_caller_keeps_the_lead_and_texts_nobody(tmp_path: Path) -> None:
    receptionist, leads, texts, _ = _setup(tmp_path, Disk())
    call = _call()
    call.handed_back = True
    await receptionist.caller_hung_up(call)
    assert [lead.name for lead in leads.saved] == ["Karim Benali"]
    assert texts.queued == []
