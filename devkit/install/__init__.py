"""Speech model installers: Whisper base offline, SVOX Pico, Piper voices; `decroche models`."""
