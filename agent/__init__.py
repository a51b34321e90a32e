"""decroche: the telephone receptionist agent (ARI, media, call logic, speech, storage)."""
