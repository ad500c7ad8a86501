"""Call transcripts read into who said what, when: WebVTT, SubRip and plain text (pure).

The formats the seller's tools write, told apart by content, never by the file's name:
- WebVTT (`WEBVTT` first): Microsoft Teams puts the speaker in voice tags
  (`<v Jonas Meyer>...</v>`, cue ids like `guid/15-0`, timestamps like `0:0:5.320`); Zoom
  and Google Meet start the cue's text with `Speaker Name: `. A Zoom cloud recording's file
  name, `GMT20261201-150000_Recording...`, says when the call began (in UTC).
- SubRip (numbered cues, `00:00:01,000 --> ...`), e.g. Otter's export: `Speaker Name: ` too.
- Plain text: `Name: words` lines; Otter's turn headers (`Priya Raman  0:03` then the words
  on the lines below); Google Meet's text export, whose first lines are the meeting's
  title, its date and `Attendees: ...`.
Adjacent cues of one speaker become one turn. Which speaker is the customer is decided
elsewhere (by the calendar, the account's people, the seller's own names).

Every file is hostile input: its size and its number of cues are bounded, and a file that
fits none of the formats is one error naming it.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from focusblock.errors import BadInput

MAX_BYTES = 20_000_000  # a ten-hour call's transcript is about 1 MB
MAX_CUES = 200_000
VTT_PIECE_CHARS = 500_000  # of a WebVTT file parsed at once

_SPEAKER = re.compile(r"^(?P<name>[^:\n]{1,80}?):\s+(?P<words>\S.*)$", re.S)
_ZOOM_NAME = re.compile(r"GMT(?P<date>\d{8})-(?P<time>\d{6})")
_OTTER_HEADER = re.compile(r"^(?P<name>\S[^\t]{0,79}?)\s{2,}(?P<at>\d{1,2}(?::\d{2}){1,2})\s*$")
_SRT_TIME = re.compile(r"^\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}\s*-->\s*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}")
_CLOCK = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{1,2})(?:[.,](\d{1,3}))?$")
_TAGS = re.compile(r"<[^>\n]{0,200}>")
_MEET_DATE = re.compile(r"^\s*(?P<date>\d{4}-\d{2}-\d{2})(?:[ T](?P<time>\d{1,2}:\d{2}))?")


@dataclass(frozen=True, slots=True)  # a transcript holds up to MAX_CUES of them
class Turn:
    """What one speaker said without being interrupted; `at` is how far into the call."""

    speaker: str | None  # None: the file does not say
    text: str
    at: timedelta


@dataclass(frozen=True)
class Transcript:
    turns: tuple[Turn, ...]
    kind: str  # "webvtt", "srt" or "text"
    # when the call began, if the file or its name says: aware (UTC) from a Zoom file name,
    # naive (the seller's own clock) from a Meet text export's header
    began: datetime | None = None
    title: str | None = None  # the meeting's title, if the file says
    attendees: tuple[str, ...] = ()  # the names the file lists as present

    @property
    def speakers(self) -> tuple[str, ...]:
        """Every speaker, in the order they first spoke."""
        return tuple(dict.fromkeys(t.speaker for t in self.turns if t.speaker))


def read_transcript(name: str, data: bytes) -> Transcript:
    """The transcript in `data` (a file called `name`); BadInput naming the file when it is
    none of the formats, too big, or not text."""
    if len(data) > MAX_BYTES:
        raise BadInput(
            f"{name}: {len(data):,} bytes; a transcript is read up to {MAX_BYTES:,} bytes"
        )
    text = _decoded(name, data).replace("\r\n", "\n").replace("\r", "\n")
    began = _began_from_name(name)
    head = text.lstrip()
    if head.startswith("WEBVTT"):
        return Transcript(_joined(_webvtt(name, text)), "webvtt", began)
    if _looks_like_srt(head):
        return Transcript(_joined(_srt(name, text)), "srt", began)
    return _plain(name, text, began)


def _decoded(name: str, data: bytes) -> str:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16, as some Windows tools save text
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise BadInput(f"{name}: marked as UTF-16 but not readable as it") from None
    if b"\x00" in data[:4096]:
        raise BadInput(f"{name}: binary data, not a transcript")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # older tools save Windows-1252: every byte is a character there
        return data.decode("cp1252", errors="replace")


def _began_from_name(name: str) -> datetime | None:
    found = _ZOOM_NAME.search(name.rsplit("/", 1)[-1])
    if not found:
        return None
    try:
        return datetime.strptime(found["date"] + found["time"], "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def _webvtt(name: str, text: str) -> Iterator[Turn]:
    """Each cue, a piece of the file at a time (see _vtt_pieces)."""
    import webvtt

    count = 0
    for piece in _vtt_pieces(text):
        try:
            captions = webvtt.from_buffer(io.StringIO(piece))
        except Exception as exc:  # webvtt-py raises its own errors for malformed files
            raise BadInput(f"{name}: not a readable WebVTT transcript ({exc})") from None
        cues: Iterable[Any] = captions.captions
        for caption in cues:
            count += 1
            if count > MAX_CUES:
                raise BadInput(f"{name}: more than {MAX_CUES:,} cues; not read")
            # the format's own escapes (&amp; &lt; &gt; &#39;) undone once the tags are
            # gone: "<5%" is what was said, never a tag
            words = html.unescape(" ".join(_TAGS.sub("", caption.text).split()))
            voice = getattr(caption, "voice", None)
            speaker = html.unescape(voice) if voice else None
            yield _turn(speaker, words, _clock(caption.start))


def _vtt_pieces(text: str) -> Iterator[str]:
    """The file as WebVTT files of about VTT_PIECE_CHARS each, cut where a block ends (an
    empty line: no cue holds one): webvtt-py keeps every cue it reads as objects, about
    13 times the file's size, so a whole 20 MB transcript took 300 MB."""
    start = 0
    while start < len(text):
        end = text.find("\n\n", start + VTT_PIECE_CHARS)
        end = len(text) if end < 0 else end + 2
        yield text[start:end] if start == 0 else "WEBVTT\n\n" + text[start:end]
        start = end


def _looks_like_srt(head: str) -> bool:
    lines = head.split("\n", 3)
    return len(lines) >= 2 and lines[0].strip().isdigit() and bool(_SRT_TIME.match(lines[1]))


def _srt(name: str, text: str) -> list[Turn]:
    import srt

    turns = []
    try:
        for count, subtitle in enumerate(srt.parse(text), start=1):
            if count > MAX_CUES:
                raise BadInput(f"{name}: more than {MAX_CUES:,} cues; not read")
            words = " ".join(_TAGS.sub("", subtitle.content).split())
            turns.append(_turn(None, words, subtitle.start))
    except BadInput:
        raise
    except Exception as exc:  # srt raises its own errors, OverflowError for absurd times
        why = (str(exc).splitlines() or [type(exc).__name__])[0][:120]
        raise BadInput(f"{name}: not a readable SubRip transcript ({why})") from None
    return turns


def _turn(speaker: str | None, words: str, at: timedelta) -> Turn:
    """A cue's words, with the speaker its text names (`Name: words`) if no tag did."""
    if speaker is None:
        named = _SPEAKER.match(words)
        if named and _a_name(named["name"]):
            return Turn(named["name"].strip(), named["words"].strip(), at)
    return Turn(speaker.strip() if speaker else None, words, at)


# labels of notes and minutes, written before a colon like a speaker's name
_LABELS = frozenset(
    {
        "action item", "action items", "actions", "agenda", "answer", "attendees", "date",
        "decision", "decisions", "fyi", "follow-up", "follow up", "follow-ups", "highlights",
        "important", "key takeaways", "location", "minutes", "next step", "next steps",
        "note", "notes", "outcome", "owner", "q", "a", "question", "questions", "re",
        "recap", "reminder", "risk", "risks", "status", "subject", "summary", "takeaways",
        "time", "to do", "todo", "topic", "topics", "update", "warning", "where", "when",
    }
)  # fmt: skip


_NUMBERED_SPEAKER = re.compile(
    r"(?:speaker|sprecher|sprecherin|intervenant|participant|guest|unknown speaker)\s?\d{1,3}$",
    re.IGNORECASE,
)


def _a_name(text: str) -> bool:
    """Whether the words before a colon can be a person's name, not a sentence ("The point
    is:"), a label of notes ("Note:", "Action Items:", "Next Step:") or a time ("10:30")."""
    words = text.split()
    if " ".join(words).casefold() in _LABELS:
        return False
    if _NUMBERED_SPEAKER.match(text.strip()):  # "Speaker 1": a voice nobody has named
        return True
    return 1 <= len(words) <= 5 and not any(c.isdigit() for c in text) and text[:1].isupper()


def _plain(name: str, text: str, began: datetime | None) -> Transcript:
    lines = text.split("\n")
    title: str | None = None
    attendees: tuple[str, ...] = ()
    head = [line.strip() for line in lines[:6]]
    attendee_line = next((i for i, line in enumerate(head) if line.startswith("Attendees")), None)
    if attendee_line is not None:
        listed = head[attendee_line].partition(":")[2] or (
            head[attendee_line + 1] if attendee_line + 1 < len(head) else ""
        )
        attendees = tuple(n.strip() for n in listed.split(",") if n.strip())
        title = head[0] or None
        dated = next((m for line in head[1:attendee_line] if (m := _MEET_DATE.match(line))), None)
        if dated and began is None:
            began = _meet_began(dated)
        lines = lines[attendee_line + 1 :]
    turns: list[Turn] = []
    speaker: str | None = None
    at = timedelta()
    for line in lines:
        if len(turns) > MAX_CUES:
            raise BadInput(f"{name}: more than {MAX_CUES:,} lines of speech; not read")
        stripped = line.strip()
        if not stripped or stripped.lower() in ("transcript", "transcription ended"):
            continue
        header = _OTTER_HEADER.match(stripped)
        if header and _a_name(header["name"]):
            speaker, at = header["name"].strip(), _clock(header["at"])
            continue
        named = _SPEAKER.match(stripped)
        if named and _a_name(named["name"]):
            speaker = named["name"].strip()
            turns.append(Turn(speaker, named["words"].strip(), at))
            continue
        if named and " ".join(named["name"].split()).casefold() in _LABELS:
            speaker = None  # the notes' own lines: nobody's words, and the turn before ends
        turns.append(Turn(speaker, stripped, at))
    if not turns or all(t.speaker is None for t in turns):
        raise BadInput(
            f"{name}: not a transcript this version reads (WebVTT, SubRip, or text with "
            "'Name: words' lines)"
        )
    return Transcript(_joined(turns), "text", began, title, attendees)


def _meet_began(found: re.Match[str]) -> datetime | None:
    try:
        day = datetime.strptime(found["date"], "%Y-%m-%d")
        if found["time"]:
            hour, minute = found["time"].split(":")
            day = day.replace(hour=int(hour), minute=int(minute))
    except ValueError:
        return None
    return day  # the seller's own clock: the zone is applied where the call is matched


def _clock(value: str) -> timedelta:
    found = _CLOCK.match(value.strip())
    if not found:
        return timedelta()
    hours, minutes, seconds, fraction = found.groups()
    millis = int((fraction or "0").ljust(3, "0")[:3])
    return timedelta(
        hours=int(hours or 0), minutes=int(minutes), seconds=int(seconds), milliseconds=millis
    )


def _joined(turns: Iterable[Turn]) -> tuple[Turn, ...]:
    """Adjacent cues of one speaker as one turn; cues with no words dropped."""
    runs: list[tuple[Turn, list[str]]] = []  # words gathered, joined once: linear time
    for turn in turns:
        if not turn.text:
            continue
        if runs and runs[-1][0].speaker == turn.speaker:
            runs[-1][1].append(turn.text)
        else:
            runs.append((turn, [turn.text]))
    return tuple(Turn(first.speaker, " ".join(words), first.at) for first, words in runs)
