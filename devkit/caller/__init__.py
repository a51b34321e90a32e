"""A real SIP caller (our own SIP/RTP), sipp mobile scenarios and the ring probe."""
