"""Speech services: turn-taking, speech to text, text to speech, models, evaluation.

Per call (inbound):  `endpointing.Listener(call_rate, TurnSettings)` -> `feed(pcm, agent_speaking=)`
                     returns `BargeIn` / `SpeechStarted` / `SpeechEnded(pcm16k, ...)` events.
Per process:         `stt_engines.make_transcriber(SttSettings)` (the `[stt] engine`; today
                     `stt.WhisperTranscriber` on a `whisper_engine.WhisperEngine`: the model
                     and the worker that batches every call's turns, `whisper_batch`),
                     `await transcriber.transcribe(pcm16k, hint) -> Transcript` (text,
                     confidence, n-best alternatives; `decoding.plan` per expectation,
                     `whisper_direct` drives CTranslate2 for n-best and fitted windows).
                     `tts_engines.make_synthesizer(TtsSettings)` (piper -> pico -> espeak),
                     `tts.PromptCache(synth, rate)` for fixed prompts.
Tools:               `decroche models install|status`, `decroche transcribe`, `wer.evaluate`,
                     `python -m devkit.eval.decode` (window and hint variants compared),
                     `python -m devkit.eval.batch` (calls at once: batched vs queued).
"""
