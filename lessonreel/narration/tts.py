"""Text to speech for narration, an audio cache keyed by content, and section tracks.

Three engines share one small interface, :class:`Synthesizer`:

* :class:`EspeakSynthesizer` - ``espeak-ng`` on this machine, offline; the default.
* :class:`OpenAISpeechSynthesizer` - any OpenAI-compatible ``/v1/audio/speech`` endpoint,
  through the project's :class:`~lessonreel.llm.client.ModelClient` (its server, key,
  retry policy and ledger).
* :class:`PiperSynthesizer` - Piper, only with a voice model file the user gives
  (nothing is ever downloaded).

``synthesize(text, out_wav)`` writes a PCM WAV and returns its duration in seconds,
measured from the file (never estimated). ``cache_key(text)`` is a sha256 of the
engine, its version, the voice, every setting that changes the audio and the text,
so :func:`synthesize_cached` with a :class:`NarrationCache` synthesises each distinct
narration once: a second run synthesises nothing.

:func:`build_section_track` lays the steps' WAVs on one track at given start
times, exactly as long as the section's video.
"""

from __future__ import annotations

import difflib
import hashlib
import importlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import unicodedata
import wave
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Sequence

from ..errors import LessonError
from ..llm.cache import atomic_write

# Bump when what a cached WAV contains changes in a way the key does not see.
FORMAT = "lessonreel-narration/1"


class TTSError(LessonError):
    """Speech synthesis failed for good; the message says what to do about it."""


@dataclass(frozen=True)
class Voice:
    """Which voice speaks: the engine, the name the engine knows it by, and its language (BCP 47-ish)."""

    engine: str
    name: str
    language: str = ""


def prepare_text(text: str) -> str:
    """The text as it is spoken and hashed: Unicode NFC, whitespace runs collapsed, trimmed."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text or "")).strip()


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


class Synthesizer(ABC):
    """One text-to-speech engine with one voice and fixed settings."""

    engine: str = ""

    @property
    @abstractmethod
    def voice(self) -> Voice:
        """The voice that speaks (resolving it may consult the engine)."""

    @abstractmethod
    def settings(self) -> dict:
        """Every setting besides the voice that changes the audio (goes into the cache key)."""

    def version(self) -> str:
        """The engine's version when it is cheap to learn ("" otherwise); part of the cache key."""
        return ""

    def cache_key(self, text: str) -> str:
        return hashlib.sha256(_canonical({
            "format": FORMAT, "engine": self.engine, "version": self.version(),
            "voice": self.voice.name, "settings": self.settings(), "text": prepare_text(text),
        }).encode("utf-8")).hexdigest()

    @abstractmethod
    def synthesize(self, text: str, out_wav: str | Path) -> float:
        """Speak ``text`` into the PCM WAV ``out_wav``; return its measured duration in seconds."""

    def record_hit(self, key: str, text: str, seconds: float, step: str = "") -> None:
        """Called by :func:`synthesize_cached` when the audio came from the cache (e.g. for a ledger)."""

    def describe(self) -> dict:
        """What the manifest should say about the voice."""
        voice = self.voice
        return {"engine": self.engine, "voice": voice.name, "language": voice.language,
                "version": self.version(), "settings": self.settings()}


# -- WAV files ------------------------------------------------------------------

@dataclass(frozen=True)
class WavInfo:
    channels: int
    sample_width: int   # bytes per sample
    rate: int           # frames per second
    frames: int

    @property
    def seconds(self) -> float:
        return self.frames / self.rate if self.rate else 0.0


def wav_info(path: str | Path) -> WavInfo:
    """Format and length of a PCM WAV (read from its header, checked against the file size)."""
    try:
        with wave.open(str(path), "rb") as handle:
            info = WavInfo(handle.getnchannels(), handle.getsampwidth(), handle.getframerate(), handle.getnframes())
    except (wave.Error, EOFError, OSError) as exc:
        raise TTSError(f"{path}: not a readable PCM WAV file ({exc})") from None
    # A header written before the length was known (streamed audio) claims more than the file holds.
    available = max(0, Path(path).stat().st_size - 44) // max(1, info.channels * info.sample_width)
    if info.frames > available + 16:
        raise TTSError(f"{path}: WAV header claims {info.frames} frames but the file holds about {available}")
    return info


def wav_duration(path: str | Path) -> float:
    """The real duration of a PCM WAV in seconds: frames / rate."""
    return wav_info(path).seconds


def _riff_chunks(data: bytes) -> dict[bytes, bytes]:
    """The chunks of a RIFF/WAVE file, sizes clamped to what is there (streamed WAVs lie about them)."""
    chunks: dict[bytes, bytes] = {}
    pos = 12
    while pos + 8 <= len(data):
        name, size = data[pos:pos + 4], int.from_bytes(data[pos + 4:pos + 8], "little")
        body = data[pos + 8:pos + 8 + size]  # clamps 0xFFFFFFFF "unknown length" to the rest of the file
        chunks.setdefault(name, body)
        pos += 8 + size + (size & 1)
    return chunks


def normalize_wav(path: str | Path, *, what: str = "audio") -> WavInfo:
    """Make ``path`` a well-formed integer-PCM WAV in place and return its format.

    Fixes headers of streamed WAVs (length fields 0 or 0xFFFFFFFF, as some speech
    servers send them) and converts anything else (float WAV, MP3, FLAC, ...) with
    ffmpeg. Raises TTSError when the bytes are no audio at all.
    """
    path = Path(path)
    data = path.read_bytes()
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        chunks = _riff_chunks(data)
        fmt, frames = chunks.get(b"fmt "), chunks.get(b"data")
        if fmt and frames is not None and len(fmt) >= 16:
            tag = int.from_bytes(fmt[0:2], "little")
            if tag == 0xFFFE and len(fmt) >= 26:  # WAVE_FORMAT_EXTENSIBLE: the real tag opens the sub-format GUID
                tag = int.from_bytes(fmt[24:26], "little")
            channels = int.from_bytes(fmt[2:4], "little")
            rate = int.from_bytes(fmt[4:8], "little")
            bits = int.from_bytes(fmt[14:16], "little")
            if tag == 1 and bits in (8, 16, 24, 32) and channels >= 1 and rate > 0:
                width = bits // 8
                frames = frames[:len(frames) - len(frames) % (width * channels)]
                _write_wav(path, channels, width, rate, frames)
                return WavInfo(channels, width, rate, len(frames) // (width * channels))
    _ffmpeg_to_wav(path, what)
    return wav_info(path)


def _ffmpeg_to_wav(path: Path, what: str, rate: int | None = None, channels: int | None = None) -> None:
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise TTSError(f"{what} in {path} is not PCM WAV and ffmpeg (needed to convert it) is not installed")
    tmp = path.with_name(f".{path.name}.conv.wav")
    cmd = [ffmpeg, "-nostdin", "-v", "error", "-y", "-i", str(path), "-acodec", "pcm_s16le"]
    if rate:
        cmd += ["-ar", str(rate)]
    if channels:
        cmd += ["-ac", str(channels)]
    proc = subprocess.run(cmd + ["-f", "wav", str(tmp)], capture_output=True, text=True)
    if proc.returncode != 0:
        tmp.unlink(missing_ok=True)
        head = path.read_bytes()[:16]
        raise TTSError(f"{what} in {path} is not audio ffmpeg can read (starts {head!r}): "
                       f"{proc.stderr.strip()[-300:]}")
    os.replace(tmp, path)


def _write_wav(path: str | Path, channels: int, width: int, rate: int, frames: bytes | bytearray) -> None:
    """Write a WAV atomically (temp file beside it, then rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".wav.tmp")
    try:
        with os.fdopen(fd, "wb") as raw, wave.open(raw, "wb") as handle:
            handle.setnchannels(channels)
            handle.setsampwidth(width)
            handle.setframerate(rate)
            handle.writeframes(bytes(frames))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _read_frames(path: str | Path, channels: int, width: int, rate: int) -> bytes:
    """The PCM frames of ``path`` in the given format (converted with ffmpeg only when it differs)."""
    info = wav_info(path)
    if (info.channels, info.sample_width, info.rate) == (channels, width, rate):
        with wave.open(str(path), "rb") as handle:
            return handle.readframes(info.frames)
    if width != 2:
        raise TTSError(f"{path}: cannot convert {info} to {channels} channel(s), {width * 8}-bit, {rate} Hz")
    with tempfile.TemporaryDirectory(prefix="lessonreel-wav-") as tmp:
        copy = Path(tmp) / "in.wav"
        shutil.copyfile(path, copy)
        _ffmpeg_to_wav(copy, "narration audio", rate=rate, channels=channels)
        with wave.open(str(copy), "rb") as handle:
            return handle.readframes(handle.getnframes())


def pad_or_trim(in_wav: str | Path, seconds: float, out_wav: str | Path) -> float:
    """Copy ``in_wav`` to ``out_wav`` padded with silence or cut to exactly ``seconds``; return the new length."""
    info = wav_info(in_wav)
    frame = info.channels * info.sample_width
    target = max(0, round(seconds * info.rate))
    with wave.open(str(in_wav), "rb") as handle:
        frames = handle.readframes(min(info.frames, target))
    frames += _silence(info.sample_width) * (info.channels * (target - len(frames) // frame))
    _write_wav(out_wav, info.channels, info.sample_width, info.rate, frames)
    return target / info.rate


def _silence(width: int) -> bytes:
    # 8-bit WAV is unsigned (silence = 128); wider samples are signed (silence = 0).
    return b"\x80" if width == 1 else b"\x00" * width


def build_section_track(steps: Sequence[tuple[str | Path | None, float]], total_s: float, out_wav: str | Path,
                        *, rate: int | None = None, channels: int | None = None) -> dict:
    """Lay each step's WAV on one track starting at its offset; the track lasts exactly ``total_s``.

    ``steps`` are ``(wav or None, start seconds)``; None is a silent step. The format
    is the first WAV's (or ``rate``/``channels``; 22050 Hz mono when there is no
    audio at all); other formats are converted. Speech never talks over itself: a
    clip that would start before the previous one ends is pushed back, and
    whatever runs past ``total_s`` is cut. Both are reported so the caller can
    decide whether the scene left too little time.

    Returns ``{"seconds", "frames", "rate", "clips": [{"start", "end", "shifted", "cut"}], "shifted", "cut"}``.
    """
    clips = [(Path(w), float(s)) for w, s in steps if w is not None]
    if any(start < 0 for _, start in clips) or total_s < 0:
        raise ValueError("start offsets and the total length must not be negative")
    first = wav_info(clips[0][0]) if clips else None
    rate = rate or (first.rate if first else 22050)
    channels = channels or (first.channels if first else 1)
    width = first.sample_width if first and (first.rate, first.channels) == (rate, channels) else 2
    frame = channels * width
    total = round(total_s * rate)
    track = bytearray(_silence(width) * (channels * total))
    cursor, report, shifted_total, cut_total = 0, [], 0.0, 0.0
    for path, start in sorted(clips, key=lambda clip: clip[1]):
        audio = _read_frames(path, channels, width, rate)
        begin = max(round(start * rate), cursor)
        length = len(audio) // frame
        end = min(begin + length, total)
        if end > begin:
            track[begin * frame:end * frame] = audio[:(end - begin) * frame]
        shifted = (begin - round(start * rate)) / rate
        cut = (begin + length - max(end, begin)) / rate
        shifted_total += shifted
        cut_total += cut
        report.append({"wav": str(path), "start": round(begin / rate, 4), "end": round(max(end, begin) / rate, 4),
                       "shifted": round(shifted, 4), "cut": round(cut, 4)})
        cursor = max(cursor, begin + length)
    _write_wav(out_wav, channels, width, rate, track)
    return {"seconds": total / rate, "frames": total, "rate": rate, "clips": report,
            "shifted": round(shifted_total, 4), "cut": round(cut_total, 4)}


# -- the cache ------------------------------------------------------------------

_KEY_RE = re.compile(r"^[0-9a-f]{64}$")


class NarrationCache:
    """Narration audio stored as ``<dir>/<key[:2]>/<key>.wav`` (+ ``<key>.json``: what was said, by whom).

    Entries appear atomically (temp file + ``os.replace``), so many jobs may share
    one folder; an unreadable entry is a miss, never an error.
    """

    def __init__(self, directory: str | Path):
        self.directory = Path(directory)

    def path(self, key: str) -> Path:
        if not _KEY_RE.match(key):
            raise ValueError(f"narration cache key must be a sha256 hex digest, got {key!r}")
        return self.directory / key[:2] / f"{key}.wav"

    def get(self, key: str) -> tuple[Path, float] | None:
        path = self.path(key)
        try:
            return path, wav_duration(path)
        except (TTSError, OSError):
            return None

    def put(self, key: str, wav: str | Path, meta: dict | None = None) -> Path:
        """Copy ``wav`` into the cache under ``key`` (atomically) and return the cached path."""
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        if meta is not None:
            atomic_write(target.with_suffix(".json"),
                          json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8"))
        atomic_write(target, Path(wav).read_bytes())
        return target


def synthesize_cached(synth: Synthesizer, text: str, cache: NarrationCache | None,
                      *, step: str = "") -> tuple[Path | None, float, bool]:
    """``(wav path, seconds, hit)`` for ``text``: from the cache, else synthesised and stored.

    Empty narration is silence: ``(None, 0.0, True)`` and no engine runs. Without a
    cache the audio goes to a temporary folder the caller must copy from.
    """
    spoken = prepare_text(text)
    if not spoken:
        return None, 0.0, True
    key = synth.cache_key(spoken)
    if cache is not None:
        found = cache.get(key)
        if found is not None:
            synth.record_hit(key, spoken, found[1], step)
            return found[0], found[1], True
    with tempfile.TemporaryDirectory(prefix="lessonreel-tts-",
                                     dir=cache.directory if cache and cache.directory.exists() else None) as tmp:
        out = Path(tmp) / "speech.wav"
        seconds = synth.synthesize(spoken, out)
        if cache is None:
            keep = Path(tempfile.mkdtemp(prefix="lessonreel-tts-")) / f"{key}.wav"
            shutil.move(str(out), keep)
            return keep, seconds, False
        meta = {**synth.describe(), "key": key, "text": spoken, "seconds": round(seconds, 4),
                "created": datetime.now(timezone.utc).isoformat(timespec="seconds")}
        return cache.put(key, out, meta), seconds, False


# -- espeak-ng ------------------------------------------------------------------

ESPEAK = "espeak-ng"
ESPEAK_MISSING = ("espeak-ng is not installed (no {binary!r} on PATH); install it with "
                  "`apt-get install espeak-ng` or run ./setup.sh")

# Where espeak-ng's own choice for a language code is not the one a listener expects.
_PREFERRED = {"en": "en-us", "zh": "cmn", "zh-cn": "cmn", "zh-hans": "cmn", "zh-hant": "cmn", "zh-tw": "cmn",
              "zh-sg": "cmn", "zh-hk": "yue", "zh-yue": "yue"}


@dataclass(frozen=True)
class EspeakVoice:
    """One line of ``espeak-ng --voices``."""

    language: str                 # what -v accepts, e.g. "en-us", "cmn"
    name: str                     # e.g. "English_(America)"
    file: str                     # e.g. "gmw/en-US"; "mb/..." voices need MBROLA
    priority: int
    gender: str = ""
    others: tuple[tuple[str, int], ...] = field(default=())  # other languages it speaks, with priority

    @property
    def mbrola(self) -> bool:
        return self.file.startswith("mb/")


_memo: dict[tuple, Any] = {}
_memo_lock = threading.Lock()


def _memoized(kind: str, binary: str, compute):
    """Per binary (path + mtime): the version and the voice list are asked once per process."""
    try:
        stamp = os.stat(binary).st_mtime_ns
    except OSError:
        stamp = 0
    key = (kind, binary, stamp)
    with _memo_lock:
        if key in _memo:
            return _memo[key]
    value = compute()
    with _memo_lock:
        _memo[key] = value
    return value


def espeak_binary(binary: str = ESPEAK) -> str:
    """The full path of espeak-ng, or a TTSError that says how to install it."""
    found = shutil.which(binary)
    if found is None:
        raise TTSError(ESPEAK_MISSING.format(binary=binary))
    return found


def _run(cmd: list[str], *, input: bytes | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(cmd, input=input, capture_output=True, timeout=timeout)
    except FileNotFoundError:
        raise TTSError(ESPEAK_MISSING.format(binary=cmd[0])) from None
    except subprocess.TimeoutExpired:
        raise TTSError(f"{Path(cmd[0]).name} did not finish within {timeout:g} s") from None


def espeak_version(binary: str = ESPEAK) -> str:
    path = espeak_binary(binary)

    def ask() -> str:
        out = _run([path, "--version"]).stdout.decode("utf-8", "replace")
        found = re.search(r"text-to-speech:\s*(\S+)", out)
        return found.group(1) if found else out.strip()[:40]
    return _memoized("version", path, ask)


def parse_espeak_voices(listing: str) -> list[EspeakVoice]:
    """Parse ``espeak-ng --voices`` (columns: Pty Language Age/Gender VoiceName File Other Languages)."""
    voices = []
    for line in listing.splitlines()[1:]:
        parts = line.split()
        if len(parts) < 5 or not parts[0].isdigit():
            continue
        others = tuple((lang.lower(), int(pty)) for lang, pty in
                       re.findall(r"\(([^\s()]+)\s+(\d+)\)", " ".join(parts[5:])))
        voices.append(EspeakVoice(language=parts[1].lower(), name=parts[3], file=parts[4], priority=int(parts[0]),
                                  gender=parts[2].split("/")[-1], others=others))
    return voices


def espeak_voices(binary: str = ESPEAK) -> list[EspeakVoice]:
    """Every voice this espeak-ng has (asked once per process)."""
    path = espeak_binary(binary)

    def ask() -> list[EspeakVoice]:
        found: list[EspeakVoice] = []
        for option in ("--voices", "--voices=mb"):  # the plain listing leaves MBROLA voices out
            proc = _run([path, option])
            if proc.returncode != 0:
                raise TTSError(f"`espeak-ng {option}` failed: "
                               f"{proc.stderr.decode('utf-8', 'replace').strip()[-300:]}")
            found += parse_espeak_voices(proc.stdout.decode("utf-8", "replace"))
        return list(dict.fromkeys(found))
    return _memoized("voices", path, ask)


def _normalize_language(language: str | None) -> str:
    return (language or "en").strip().lower().replace("_", "-")


def voice_for_language(language: str | None, voices: Iterable[EspeakVoice] | None = None,
                       binary: str = ESPEAK) -> str:
    """The espeak-ng voice (a name ``-v`` accepts) for a topic's ``language:``.

    ``en`` -> ``en-us``, ``de`` -> ``de``, ``fr`` -> ``fr-fr``, ``zh`` -> ``cmn``,
    ``ja`` -> ``ja``; a regional code falls back to its language (``de-AT`` -> ``de``).
    MBROLA voices are skipped (they need a separate program). Raises TTSError when
    espeak-ng speaks no such language.
    """
    wanted = _normalize_language(language)
    usable = [v for v in (espeak_voices(binary) if voices is None else voices) if not v.mbrola]
    codes = {v.language for v in usable}
    tried = []
    for code in dict.fromkeys([wanted, wanted.split("-")[0]]):
        tried.append(code)
        preferred = _PREFERRED.get(code)
        if preferred in codes:
            return preferred
        exact = [v for v in usable if v.language == code]
        if exact:
            return min(exact, key=lambda v: v.priority).language
        # Voices that list the code among the other languages they speak, e.g. cmn for "zh".
        speaking = [(pty, v.priority, v.language) for v in usable for other, pty in v.others if other == code]
        if speaking:
            return min(speaking)[2]
    raise TTSError(f"espeak-ng has no voice for language {language!r} (tried {', '.join(tried)}); "
                   f"set the narration voice explicitly, or use another engine. "
                   f"Some it has: {', '.join(sorted(codes)[:12])}, ... (see `espeak-ng --voices`)")


def close_voices(voice: str, voices: Iterable[EspeakVoice], limit: int = 8) -> list[str]:
    """Installed (non-MBROLA) voices near ``voice``: same language first, then similar spellings."""
    voices = list(voices)
    usable = [v for v in voices if not v.mbrola]
    base = voice.split("+")[0].lower().replace("_", "-")
    lang = base.split("-")[0]
    for known in voices:  # a voice that exists but cannot be used (MBROLA): suggest its language
        if base in (known.name.lower(), known.file.lower(), known.file.lower().rsplit("/", 1)[-1]):
            lang = known.language.split("-")[0]
            break

    def rank(v: EspeakVoice) -> int:  # how well it speaks ``lang`` (espeak's priority: lower is better)
        return min([v.priority] * (v.language == lang) + [pty for o, pty in v.others if o == lang] + [99])

    same = [v.language for v in sorted(usable, key=rank)
            if v.language == lang or v.language.startswith(lang + "-")
            or any(o == lang or o.startswith(lang + "-") for o, _ in v.others)]
    names = sorted({v.language for v in usable} | {v.name.lower() for v in usable})
    similar = difflib.get_close_matches(base, names, n=limit, cutoff=0.6)
    return list(dict.fromkeys(same + similar))[:limit]


class EspeakSynthesizer(Synthesizer):
    """espeak-ng, offline. ``speed`` is espeak's words per minute (80-450, its default 175)."""

    engine = "espeak-ng"

    def __init__(self, voice: str | None = None, *, language: str | None = "en", speed: int = 175,
                 pitch: int = 50, amplitude: int = 100, word_gap: int = 0, binary: str = ESPEAK,
                 timeout: float = 120.0):
        for name, value, lo, hi in (("speed", speed, 80, 450), ("pitch", pitch, 0, 99),
                                    ("amplitude", amplitude, 0, 200), ("word_gap", word_gap, 0, 100)):
            if not isinstance(value, int) or isinstance(value, bool) or not lo <= value <= hi:
                raise TTSError(f"espeak-ng {name} must be a whole number from {lo} to {hi}, got {value!r}")
        if voice is not None and not re.fullmatch(r"[A-Za-z0-9_./+-]{1,80}", str(voice)):
            raise TTSError(f"espeak-ng voice names are letters, digits and - _ . / +, got {voice!r}")
        self._voice_name = voice
        self.language = _normalize_language(language)
        self.speed, self.pitch, self.amplitude, self.word_gap = speed, pitch, amplitude, word_gap
        self.binary = binary
        self.timeout = timeout

    def __repr__(self) -> str:
        return f"EspeakSynthesizer(voice={self._voice_name!r}, language={self.language!r}, speed={self.speed})"

    @property
    def voice(self) -> Voice:
        name = self._voice_name or voice_for_language(self.language, binary=self.binary)
        return Voice(self.engine, name, self.language)

    def settings(self) -> dict:
        return {"speed": self.speed, "pitch": self.pitch, "amplitude": self.amplitude, "word_gap": self.word_gap}

    def version(self) -> str:
        return espeak_version(self.binary)

    def command(self, out_wav: str | Path) -> list[str]:
        # Text goes in on stdin (never argv: no "-" surprises, no length limits), as UTF-8 (-b 1);
        # SSML stays off (no -m), so "<" in a narration is read, not parsed.
        return [espeak_binary(self.binary), "-v", self.voice.name, "-s", str(self.speed), "-p", str(self.pitch),
                "-a", str(self.amplitude), "-g", str(self.word_gap), "-b", "1", "-w", str(out_wav), "--stdin"]

    def check(self) -> Voice:
        """Fail early (at workflow start) when espeak-ng or the voice is missing."""
        voice = self.voice
        proc = _run([espeak_binary(self.binary), "-q", "-v", voice.name, "ok"], timeout=self.timeout)
        self._raise_for(proc, voice.name)
        return voice

    def synthesize(self, text: str, out_wav: str | Path) -> float:
        out_wav = Path(out_wav)
        out_wav.unlink(missing_ok=True)
        cmd = self.command(out_wav)
        proc = _run(cmd, input=prepare_text(text).encode("utf-8"), timeout=self.timeout)
        self._raise_for(proc, cmd[2])
        if not out_wav.exists():
            raise TTSError(f"espeak-ng (voice {cmd[2]!r}) exited without writing {out_wav}: "
                           f"{proc.stderr.decode('utf-8', 'replace').strip()[-300:]}")
        info = normalize_wav(out_wav, what="espeak-ng output")
        if info.frames == 0 and prepare_text(text):
            raise TTSError(f"espeak-ng (voice {cmd[2]!r}) wrote no audio for {prepare_text(text)[:60]!r}")
        return info.seconds

    def _raise_for(self, proc: subprocess.CompletedProcess, voice: str) -> None:
        said = proc.stderr.decode("utf-8", "replace").strip()
        if proc.returncode == 0 and "voice does not exist" not in said:
            return
        if "mbrola" in said.lower():
            raise TTSError(f"espeak-ng voice {voice!r} is an MBROLA voice, and MBROLA or its voice data is not "
                           f"installed; pick a standard voice, e.g. {', '.join(self._near(voice)) or 'en-us'}")
        if "voice does not exist" in said:
            near = self._near(voice)
            raise TTSError(f"espeak-ng has no voice {voice!r}; "
                           + (f"close voices: {', '.join(near)}" if near else "no similar voice is installed")
                           + " (list them with `espeak-ng --voices`)")
        raise TTSError(f"espeak-ng failed (exit {proc.returncode}, voice {voice!r}): {said[-300:] or 'no message'}")

    def _near(self, voice: str) -> list[str]:
        try:
            return close_voices(voice, espeak_voices(self.binary))
        except TTSError:
            return []


# -- OpenAI-compatible speech ---------------------------------------------------

def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def speech_request(client, role: str, text: str, *, voice: str, response_format: str = "wav",
                   speed: float | None = None, instructions: str | None = None, step: str = "",
                   cache_key: str = "") -> tuple[bytes, dict]:
    """POST ``/audio/speech`` through ``client`` with its retry policy; record the call in its ledger.

    Returns ``(audio bytes, ledger record)``; the caller adds the measured
    ``audio_seconds`` and writes the record with :func:`log_speech` (a failed call
    is logged here). Failures raise ``ModelError`` (role, model and cause; never the
    key), like chat calls. The ledger line has the chat fields (tokens 0) plus
    ``kind: "speech"`` and ``characters`` (what speech APIs bill).

    This belongs in ``ModelClient`` as a ``speak()`` method; it lives here for now
    and uses the client's own plumbing (``_openai``, ``_delay``, ``_sleep``, ``_redact``).
    """
    import openai

    from ..llm.client import ModelError, _error_detail, _retry_after, safe_url
    from ..llm.cache import append_jsonl

    settings = client._settings(role)
    entry = {"time": _now(), "role": role, "model": settings.model, "step": step, "kind": "speech",
             "server": safe_url(client.base_url), "cache_key": cache_key, "voice": voice,
             "characters": len(text), "prompt_tokens": 0, "completion_tokens": 0, "json_retries": 0}
    stats = {"attempts": 0, "latency": 0.0, "waited": 0.0}

    def log(outcome: str, **extra: Any) -> dict:
        record = {**entry, "attempts": stats["attempts"], "latency": round(stats["latency"], 4),
                  "waited": round(stats["waited"], 3), "outcome": outcome, **extra}
        if client.ledger is not None:
            append_jsonl(client.ledger, record)
        return record

    def fail(what: str, kind: str, status: int | None = None) -> ModelError:
        log(f"error: {kind}")
        message = client._redact(f"speech call for role {role!r} (model {settings.model!r}, voice {voice!r}) "
                                 f"failed: {what}")
        return ModelError(message, role=role, model=settings.model, status=status)

    kwargs: dict[str, Any] = dict(model=settings.model, voice=voice, input=text, response_format=response_format,
                                  timeout=settings.timeout)
    if speed is not None and speed != 1.0:
        kwargs["speed"] = speed
    if instructions:
        kwargs["instructions"] = instructions
    api = client._openai()
    failures = 0
    while True:
        stats["attempts"] += 1
        started = time.monotonic()
        retry_after = None
        try:
            audio = api.audio.speech.create(**kwargs).content
            stats["latency"] += time.monotonic() - started
            break
        except openai.APIStatusError as exc:
            stats["latency"] += time.monotonic() - started
            status, detail = exc.status_code, _error_detail(exc)
            if not (status in (408, 429) or status >= 500):
                raise fail(f"HTTP {status}: {detail}", type(exc).__name__, status) from None
            retry_after = _retry_after(exc)
            what, kind = f"HTTP {status}: {detail}", type(exc).__name__
        except openai.APIConnectionError as exc:
            stats["latency"] += time.monotonic() - started
            cause = f" ({exc.__cause__})" if exc.__cause__ else ""
            what, kind, status = f"{exc.message}{cause}", type(exc).__name__, None
        except openai.OpenAIError as exc:
            stats["latency"] += time.monotonic() - started
            raise fail(f"{type(exc).__name__}: {exc}", type(exc).__name__) from None
        failures += 1
        if failures > client.max_retries:
            server = safe_url(client.base_url) or "the default OpenAI server"
            raise fail(f"gave up after {stats['attempts']} attempts at {server}; last error: {what}", kind, status)
        delay = client._delay(failures, retry_after)
        stats["waited"] += delay
        client._sleep(delay)
    if not audio:
        raise fail("the server answered with no audio", "EmptyAudio")
    return audio, {**entry, "attempts": stats["attempts"], "latency": round(stats["latency"], 4),
                   "waited": round(stats["waited"], 3), "outcome": "ok"}


def log_speech(client, record: dict) -> None:
    """Append one speech call's record to the client's ledger (when it has one)."""
    if client.ledger is not None:
        from ..llm.cache import append_jsonl
        append_jsonl(client.ledger, record)


class OpenAISpeechSynthesizer(Synthesizer):
    """Any OpenAI-compatible ``audio.speech`` endpoint, via the project's ModelClient.

    The model is ``client.roles[role]`` (``llm.roles.speech.model`` in config.yaml,
    e.g. ``tts-1`` or ``gpt-4o-mini-tts``); ``voice`` is the server's voice name.
    """

    engine = "openai-speech"

    def __init__(self, client, *, role: str = "speech", voice: str = "alloy", language: str | None = "en",
                 speed: float = 1.0, instructions: str | None = None):
        if not 0.25 <= float(speed) <= 4.0:
            raise TTSError(f"speech speed must be from 0.25 to 4.0, got {speed!r}")
        self.client = client
        self.role = role
        self._voice = Voice(self.engine, str(voice), _normalize_language(language))
        self.speed = float(speed)
        self.instructions = instructions
        self.last_call: dict | None = None

    def __repr__(self) -> str:
        return f"OpenAISpeechSynthesizer(role={self.role!r}, voice={self._voice.name!r}, client={self.client!r})"

    @property
    def model(self) -> str:
        return self.client._settings(self.role).model

    @property
    def voice(self) -> Voice:
        return self._voice

    def settings(self) -> dict:
        return {"model": self.model, "speed": self.speed, "instructions": self.instructions or ""}

    def synthesize(self, text: str, out_wav: str | Path, *, step: str = "") -> float:
        spoken = prepare_text(text)
        audio, self.last_call = speech_request(self.client, self.role, spoken, voice=self._voice.name,
                                               speed=self.speed, instructions=self.instructions, step=step,
                                               cache_key=self.cache_key(spoken))
        out_wav = Path(out_wav)
        out_wav.parent.mkdir(parents=True, exist_ok=True)
        out_wav.write_bytes(audio)
        try:
            info = normalize_wav(out_wav, what=f"the speech server's answer (model {self.model!r})")
        except TTSError:
            log_speech(self.client, {**self.last_call, "outcome": "error: NotAudio"})
            raise
        self.last_call["audio_seconds"] = round(info.seconds, 3)
        log_speech(self.client, self.last_call)
        return info.seconds

    def record_hit(self, key: str, text: str, seconds: float, step: str = "") -> None:
        from ..llm.client import safe_url
        log_speech(self.client, {
            "time": _now(), "role": self.role, "model": self.model, "step": step, "kind": "speech",
            "server": safe_url(self.client.base_url), "cache_key": key, "voice": self._voice.name,
            "characters": len(text), "prompt_tokens": 0, "completion_tokens": 0, "latency": 0.0, "attempts": 0,
            "waited": 0.0, "json_retries": 0, "outcome": "cached", "audio_seconds": round(seconds, 3)})


# -- Piper ----------------------------------------------------------------------

class PiperSynthesizer(Synthesizer):
    """Piper with a voice model the user gives (``<voice>.onnx`` and ``<voice>.onnx.json`` beside it).

    Needs the ``piper-tts`` package; nothing is downloaded. ``length_scale`` > 1 speaks slower.
    """

    engine = "piper"

    def __init__(self, model_path: str | Path, *, config_path: str | Path | None = None, speaker: int | None = None,
                 length_scale: float | None = None, language: str | None = None):
        model = Path(model_path)
        if not model.is_file():
            raise TTSError(f"Piper voice model {model} does not exist; give the path of a .onnx voice file "
                           f"(lessonreel never downloads voices)")
        config = Path(config_path) if config_path else model.with_name(model.name + ".json")
        if not config.is_file():
            raise TTSError(f"Piper voice model {model} has no config {config}; put the voice's .onnx.json "
                           f"beside it or name it with config_path")
        try:
            importlib.import_module("piper")  # only to know it is there; the voice loads on first use
        except ImportError:
            raise TTSError(f"Piper voice model {model} was given but the Piper package is not installed; "
                           f"install it with `pip install piper-tts`") from None
        try:
            meta = json.loads(config.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise TTSError(f"Piper voice config {config} is not readable JSON ({exc})") from None
        found = (meta.get("language") or {}).get("code") or (meta.get("espeak") or {}).get("voice") or ""
        self.model_path, self.config_path = model, config
        self.speaker, self.length_scale = speaker, length_scale
        self._voice = Voice(self.engine, model.name.removesuffix(".onnx"),
                            _normalize_language(language or found or "en"))
        self._loaded = None

    @property
    def voice(self) -> Voice:
        return self._voice

    def settings(self) -> dict:
        return {"model_sha256": self._model_hash(), "speaker": self.speaker, "length_scale": self.length_scale}

    def version(self) -> str:
        from importlib import metadata
        try:
            return metadata.version("piper-tts")
        except metadata.PackageNotFoundError:
            return ""

    def _model_hash(self) -> str:
        stat = self.model_path.stat()

        def digest() -> str:
            sha = hashlib.sha256()
            for path in (self.model_path, self.config_path):
                with open(path, "rb") as handle:
                    for block in iter(lambda: handle.read(1 << 20), b""):
                        sha.update(block)
            return sha.hexdigest()
        return _memoized("piper-model", f"{self.model_path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}:"
                         f"{self.config_path.resolve()}", digest)

    def _load(self):
        if self._loaded is None:
            from piper import PiperVoice
            try:
                self._loaded = PiperVoice.load(str(self.model_path), config_path=str(self.config_path))
            except Exception as exc:  # onnxruntime errors are many and unrelated
                raise TTSError(f"Piper could not load voice model {self.model_path}: "
                               f"{type(exc).__name__}: {exc}") from None
        return self._loaded

    def synthesize(self, text: str, out_wav: str | Path) -> float:
        voice = self._load()
        out_wav = Path(out_wav)
        out_wav.parent.mkdir(parents=True, exist_ok=True)
        try:
            with wave.open(str(out_wav), "wb") as handle:
                if hasattr(voice, "synthesize_wav"):  # piper-tts >= 1.3
                    from piper import SynthesisConfig
                    options = {k: v for k, v in (("speaker_id", self.speaker), ("length_scale", self.length_scale))
                               if v is not None}
                    voice.synthesize_wav(prepare_text(text), handle, syn_config=SynthesisConfig(**options))
                else:  # piper-tts 1.2
                    voice.synthesize(prepare_text(text), handle, speaker_id=self.speaker,
                                     length_scale=self.length_scale)
        except TTSError:
            raise
        except Exception as exc:
            raise TTSError(f"Piper (voice model {self.model_path}) failed: {type(exc).__name__}: {exc}") from None
        return normalize_wav(out_wav, what=f"Piper output (voice model {self.model_path})").seconds
