"""Spoken narration: text-to-speech engines, an audio cache, section tracks and subtitles.

``tts`` turns each step's narration text into a WAV (espeak-ng offline by
default, an OpenAI-compatible ``audio.speech`` endpoint, or Piper with a voice
model file the user gives), caches it by a hash of text, engine, voice and
settings, and measures the real duration. ``subtitles`` splits narration into
readable cues and writes SRT and WebVTT.
"""

from .subtitles import Cue, pace_check, pace_flag, split_cues, to_srt, to_vtt, words_per_minute
from .tts import (
    EspeakSynthesizer,
    NarrationCache,
    OpenAISpeechSynthesizer,
    PiperSynthesizer,
    Synthesizer,
    TTSError,
    Voice,
    build_section_track,
    synthesize_cached,
    voice_for_language,
    wav_duration,
)

__all__ = [
    "Cue", "EspeakSynthesizer", "NarrationCache", "OpenAISpeechSynthesizer", "PiperSynthesizer", "Synthesizer",
    "TTSError", "Voice", "build_section_track", "pace_check", "pace_flag", "split_cues", "synthesize_cached",
    "to_srt", "to_vtt", "voice_for_language", "wav_duration", "words_per_minute",
]
