"""Per-expectation decoding set-ups: what Whisper is told before the caller's answer.

Whisper reads its prompt as the text spoken just before the audio. So each expectation gets
the agent's question in a few French words (context, not content: a prompt holding example
letters or digits gets copied, DESIGN §6), preceded by the closed-set phrases worth biasing
towards (the streets of the town, the towns of the area), capped because base loops on long
prompts. The token budget follows the audio's length and is capped per expectation, so a
looping decoder stops early; closed answers get narrower beams, matched answers more
hypotheses for the matcher.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from rapidfuzz import fuzz

from agent.speech.hint import Expectation, Hint
from agent.speech.settings import SttSettings

__all__ = [
    "PROFILES",
    "DecodePlan",
    "Profile",
    "collapse_repeats",
    "drop_cut_repeat",
    "echoes_question",
    "plan",
]

# Fast French speech is ~7 tokens/s, spelled letters ("B, E, R") ~6 tokens/s: 12/s + 16 leaves
# room for hesitations without letting a loop run for long.
_TOKENS_PER_SECOND = 12
_BASE_TOKENS = 16
# Yes/no questions whose "non" may carry the answer itself: "Je peux vous rappeler au ... ?"
# - "Non, rappelez-moi plutôt sur mon portable, le zéro six, ..." was cut at 16 tokens
# ("... prenez plutôt le 06, 85") in whole calls, and the number asked for again.
_OPEN_ANSWER_TOKENS: dict[str, int] = {"phone_confirm": 64}


@dataclass(frozen=True)
class Profile:
    # The agent's question as Whisper would have transcribed it just before the answer;
    # None: no context (the open problem description).
    question: str | None
    beam_size: int | None  # None: the configured `[stt] beam_size`
    num_hypotheses: int
    max_tokens: int
    # Characters of hint phrases kept in the prompt (~4 characters a token in French).
    phrase_chars: int
    # The configured trade vocabulary and towns (SttSettings) join the phrases.
    settings_words: bool = False
    # Phrases of the expectation itself, after the hint's.
    own_phrases: tuple[str, ...] = ()


# Frequent first names (several generations and origins), tried before the name question to
# tell Whisper a name follows; kept for devkit.eval.name, not used by the profile below.
# Measured by devkit.eval.name on 44 Pico answers through
# μ-law, this list sharing no first name or surname with the answers (so the gain is not
# copying): surname right 9 -> 11/44, first name 11 -> 16/34, median 276 -> 344 ms (shared
# 2-core machine). Same list but holding the answers' own first names: 12/44, 20/34. Other
# variants, same runs: "Quel est votre nom ?" 8/44 10/34; "... ? Je m'appelle" 8/44 12/34;
# 20 frequent surnames 11/44 14/34; beam 8 n-best 8 (with these names) 11/44 15/34 (the
# surname in some hypothesis 18/44 against 15) but +30 ms; beam 3 9/44 10/34. Whisper still
# copies a listed first name now and then ("Monsieur Girard" -> "Monsieur Gérard"); on noise
# a transcript made only of these names is dropped like any hint echo (stt.is_hint_echo).
FIRST_NAMES = (
    "Jean", "Michel", "Françoise", "Alain", "Monique", "Patrick", "Martine", "Christophe",
    "Christine", "David", "Stéphanie", "Éric", "Véronique", "Frédéric", "Nadia", "Mohamed",
    "Aurélie", "Kevin", "Léa", "Gérard",
)  # fmt: skip


PROFILES: dict[Expectation, Profile] = {
    "problem": Profile(None, None, 3, 200, 300, settings_words=True),
    # Not own_phrases=FIRST_NAMES: offline it helped a little (above), but Whisper copies
    # listed names, and a copied answer made only of them is dropped as a hint echo. It was
    # suspected when 4 of 17 whole calls lost the name; those calls re-run without it lost
    # their names too, so that loss has another cause (see the closing note of issue 8).
    "name": Profile("C'est à quel nom ?", 5, 5, 32, 200),
    # Phrases are left out: a spelled answer must not copy letters or names from the prompt.
    "spell": Profile("Pouvez-vous épeler votre nom, lettre par lettre ?", 5, 3, 64, 0),
    "address": Profile("Quelle est votre adresse ?", 5, 5, 48, 240),
    "street": Profile("Dans quelle rue ?", 5, 5, 40, 240),
    "town": Profile("Dans quelle ville ?", 5, 5, 24, 240),
    # Through μ-law, base writes the pairs of a number in digits and garbles them ("4, 20, 8"
    # for 88, "0,6,3,3,4,5,3,8,3,7" for 06 23 ...); a question followed by digits said one by
    # one in words makes it write words that nlp.phone_words can repair, without example pairs
    # to copy (a trial with pairs copied "quatre-vingt-dix-sept" into 4 of 44 answers).
    # Measured by devkit.eval.phone (own set 48 / personas 44, same reader), numbers
    # right and sure enough to be taken without asking again: 8 -> 13 / 2 -> 8 (right in all
    # 14 -> 16 / 12 -> 11), sure and wrong 1 -> 1 / 1 -> 1, ~+100 ms median; no answer holds
    # three example words in a row it was not said.
    "phone": Profile(
        "Votre numéro ? Alors c'est le zéro, neuf, un, deux, trois, quatre.", 3, 3, 40, 0
    ),
    "yes_no": Profile("Vous confirmez ?", 2, 2, 16, 0),
    "choice": Profile("Lequel ?", 3, 3, 24, 160),
}


@dataclass(frozen=True)
class DecodePlan:
    prompt: str | None
    beam_size: int
    num_hypotheses: int
    max_new_tokens: int
    # The biasing phrases actually in the prompt (a noise turn that only repeats them is noise).
    phrases: tuple[str, ...]
    question: str | None = None  # the prompt's question (Whisper may give it back on noise)
    letters_only: bool = False  # only the spelling alphabet may be written (Hint.letters_only)

    def without_question(self) -> DecodePlan:
        """The same set-up with the phrases only: Whisper sometimes gives the question back
        for a real answer ("Gérard Lemoine." heard as "C'est à quel nom ?")."""
        prompt = self.prompt
        if prompt and self.question and prompt.endswith(self.question):
            prompt = prompt[: -len(self.question)].strip() or None
        return replace(self, prompt=prompt, question=None)


def _capped(words: tuple[str, ...], chars: int) -> tuple[str, ...]:
    """Distinct non-empty phrases, in the given order, while they fit in `chars`."""
    kept: list[str] = []
    used = 0
    for phrase in dict.fromkeys(w.strip() for w in words):
        if not phrase:
            continue
        if used + len(phrase) + 2 > chars:
            break
        kept.append(phrase)
        used += len(phrase) + 2
    return tuple(kept)


def plan(hint: Hint | None, settings: SttSettings, seconds: float) -> DecodePlan:
    """The decoding set-up for one turn of `seconds` of audio."""
    expect: Expectation = hint.expect if hint is not None else "problem"
    profile = PROFILES[expect]
    words = (*(hint.phrases if hint is not None else ()), *profile.own_phrases)
    if profile.settings_words:
        words = (*words, *settings.vocabulary, *settings.towns)
    phrases = _capped(words, profile.phrase_chars)
    parts = [", ".join(phrases) + "." if phrases else ""]
    question = profile.question
    if expect == "problem" and settings.initial_prompt:
        question = settings.initial_prompt
    parts.append(question or "")
    prompt = " ".join(p for p in parts if p) or None
    beam = profile.beam_size or settings.beam_size
    cap = max(profile.max_tokens, _OPEN_ANSWER_TOKENS.get(hint.question, 0) if hint else 0)
    budget = min(cap, int(seconds * _TOKENS_PER_SECOND) + _BASE_TOKENS)
    letters = hint is not None and hint.letters_only
    hypotheses = min(profile.num_hypotheses, beam)
    return DecodePlan(prompt, beam, hypotheses, budget, phrases, question, letters)


def _key(token: str) -> str:
    return re.sub(r"[^\w]", "", token.lower())


_DIGIT_LOOP = 8
_DIGITS_LOOPING = re.compile(rf"(?<!\d)(\d)(?:\s*,\s*\1(?!\d)){{{_DIGIT_LOOP - 1},}}")


def _collapsible(chunk: list[str], copies: int) -> bool:
    """Digits and single letters repeat in real answers ("06 66 66", "L, L"); a phrase of two
    words or more said twice in a row, or a word said three times, is Whisper looping. A
    letter three times in a row is a loop too ("j j j j ..."): no name spells so, while a digit
    may ("zéro six, six, six, six"), though not eight times: "O 45,5,5,5,5,5,5,5,5,5,5..." on
    a whole call was a loop, and a phone number has ten digits in all."""
    if len(chunk) == 1 and len(chunk[0]) == 1 and chunk[0].isalpha():
        return copies >= 3
    if len(chunk) == 1 and len(chunk[0]) == 1 and chunk[0].isdigit():
        return copies >= _DIGIT_LOOP
    if not any(len(k) > 1 and not k.isdigit() for k in chunk):
        return False
    return copies >= 2 if len(chunk) >= 2 else copies >= 3


def _truncated_copy(rest: list[str], chunk: list[str]) -> bool:
    """`rest` is the start of one more copy of `chunk`, cut by the token budget."""
    if not rest or len(rest) > len(chunk):
        return False
    return rest[:-1] == chunk[: len(rest) - 1] and chunk[len(rest) - 1].startswith(rest[-1])


def collapse_repeats(text: str) -> str:
    """`text` with Whisper's loops cut to one copy: "Rue Matabia, Rue Matabia, Rue Mata" ->
    "Rue Matabia,". Repeated until stable (a loop of "A, A," chunks leaves "A, A," first)."""
    text = _DIGITS_LOOPING.sub(r"\1", text)  # "45,5,5,5,..." is one token: cut it first
    collapsed = _collapse_once(text)
    while collapsed != text:
        text, collapsed = collapsed, _collapse_once(collapsed)
    return collapsed


def _collapse_once(text: str) -> str:
    tokens = text.split()
    keys = [_key(t) for t in tokens]
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for n in range(min(12, (len(tokens) - i) // 2), 0, -1):
            chunk = keys[i : i + n]
            end = i + n
            while keys[end : end + n] == chunk:
                end += n
            if _collapsible(chunk, (end - i) // n):
                out.extend(tokens[i : i + n])
                i = len(tokens) if _truncated_copy(keys[end:], chunk) else end
                break
        else:
            out.append(tokens[i])
            i += 1
    return " ".join(out)


def drop_cut_repeat(text: str) -> str:
    """For a hypothesis stopped by its token budget: drop an unfinished last sentence that
    only restarts the previous one ("Non, c'est pas ça. Non, c'" -> "Non, c'est pas ça.")."""
    sentences = re.findall(r"[^.!?]+[.!?]*", text)
    if len(sentences) < 2 or re.search(r"[.!?]\s*$", sentences[-1]):
        return text
    last = [_key(t) for t in sentences[-1].split()]
    previous = [_key(t) for t in sentences[-2].split()]
    if _truncated_copy(last, previous):
        return "".join(sentences[:-1]).strip()
    return text


def echoes_question(text: str, question: str | None) -> bool:
    """Whisper gave back the prompt's question, whole ("C'est à quel nom !") or in part and
    slightly changed ("Fouvez-vous épeler ? Fouvez-vous épeler" for a spelled name): every
    word heard is nearly a word of the question. The questions are worded so that no caller
    answers with their words alone."""
    if not question:
        return False
    said = [_key(t) for t in text.split() if _key(t)]
    asked = [_key(t) for t in question.split() if _key(t)]
    if said == asked:
        return True
    return len(said) >= 2 and all(
        max(fuzz.ratio(word, a) for a in asked) >= _ECHO_WORD for word in said
    )


# Spelling ratio (0-100) from which a word heard counts as a word of the question.
_ECHO_WORD = 75
