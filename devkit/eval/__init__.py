"""Speech measurements through the phone channel: WER, VAD, names, numbers, urgency, batching."""
