"""A channel's audio into and out of the agent: mixing bridge {channel, externalMedia RTP}.

The RTP channel enters Stasis on its own; it may join the bridge only on its StasisStart
(adding it earlier gives 422), so setup is two steps: `open()` then `media_ready()`.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable

from agent.ari.errors import AriError
from agent.call.ports import CallControl
from agent.media.codecs import Codec
from agent.media.rtp_stream import AudioHandler, RtpStream

log = logging.getLogger(__name__)


class MediaLeg:
    def __init__(self, control: CallControl, channel_id: str, codec: Codec) -> None:
        self.control = control
        self.channel_id = channel_id
        self.codec = codec
        self.media_channel_id = f"{channel_id}-media"
        self.bridge_id = f"{channel_id}-bridge"
        self.stream: RtpStream | None = None

    async def open(self, on_audio: AudioHandler, bind_host: str, advertise_host: str) -> None:
        """Raises AriNotFound when the channel hung up meanwhile."""
        self.stream = await RtpStream.open(self.codec, on_audio, bind_host)
        await self.control.create_bridge(self.bridge_id)
        await self.control.add_channel(self.bridge_id, self.channel_id)
        await self.control.external_media(
            self.media_channel_id, f"{advertise_host}:{self.stream.local_port}", self.codec.name
        )

    async def media_ready(self) -> RtpStream:
        """On the RTP channel's StasisStart: bridge it and start the paced outgoing clock."""
        assert self.stream is not None
        await self.control.add_channel(self.bridge_id, self.media_channel_id)
        host = await self.control.get_variable(self.media_channel_id, "UNICASTRTP_LOCAL_ADDRESS")
        port = await self.control.get_variable(self.media_channel_id, "UNICASTRTP_LOCAL_PORT")
        self.stream.start_sending((host, int(port)))
        return self.stream

    async def close(self) -> None:
        await quietly(self.control.hangup(self.media_channel_id))
        await quietly(self.control.destroy_bridge(self.bridge_id))
        if self.stream is not None:
            await self.stream.close()


async def quietly(request: Awaitable[None]) -> None:
    """Cleanup that may race a hangup or an Asterisk restart."""
    try:
        await request
    except AriError as exc:
        log.debug("cleanup skipped: %s", exc)
