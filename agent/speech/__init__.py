"""Speech services: turn-taking, speech to text, text to speech, models, evaluation.

Per call (inbound):  `endpointing.Listener(call_rate, TurnSettings)` -> `feed(pcm, agent_speaking=)`
                     returns `BargeIn` / `SpeechStarted` / `SpeechEnded(pcm16k, ...)` events.
Per process:         `whisper_engine.WhisperEngine(SttSettings)` (the model and the worker
                     that batches every call's turns, `whisper_batch`),
                     `stt.WhisperTranscriber(SttSettings, engine)` (one per set-up),
                     `await transcriber.transcribe(pcm16k, hint) -> Transcript` (text,
                     confidence, n-best alternatives; `decoding.plan` per expectation,
                     `whisper_direct` drives CTranslate2 for n-best and fitted windows).
                     `tts.make_synthesizer(TtsSettings)` (piper -> pico -> espeak fallback),
                     `tts.PromptCache(synth, rate)` for fixed prompts.
Tools:               `decroche models install|status`, `decroche transcribe`, `wer.evaluate`,
                     `python -m agent.speech.decode_eval` (window and hint variants compared),
                     `python -m agent.speech.batch_eval` (calls at once: batched vs queued).
"""
