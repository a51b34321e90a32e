"""French caller understanding: urgency, problem category and lead slots from transcripts."""
