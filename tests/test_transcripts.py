"""Call transcripts read into turns: every format a seller's tools write, and hostile files.
The sample files in tests/transcripts/ were written for these tests."""

from __future__ import annotations

import subprocess
import sys
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from focusblock.errors import BadInput
from focusblock.said import remarks_of
from focusblock.transcripts import MAX_BYTES, read_transcript

SAMPLES = Path(__file__).parent / "transcripts"


def read(name: str):
    return read_transcript(name, (SAMPLES / name).read_bytes())


def said(transcript) -> list[tuple[str | None, str]]:
    return [(t.speaker, t.text) for t in transcript.turns]


def test_a_teams_call_has_its_speakers_from_voice_tags_and_joins_their_cues():
    call = read("teams-weekly-sync.vtt")
    assert call.kind == "webvtt"
    assert said(call) == [
        (
            "Jonas Meyer",
            "We lose two days at every month-end close. Mostly on the intercompany "
            "reconciliations.",
        ),
        ("Alex Morgan", "Which entities?"),
        ("Sam Okafor", "I can send the list after the call."),
        ("Jonas Meyer", "Germany and the two Dutch ones."),
    ]
    assert call.turns[0].at == timedelta(seconds=5, milliseconds=320)  # 0:0:5.320
    assert call.turns[-1].at == timedelta(minutes=1, seconds=2, milliseconds=500)
    assert call.speakers == ("Jonas Meyer", "Alex Morgan", "Sam Okafor")


def test_a_zoom_file_is_dated_by_its_name_and_names_speakers_in_the_text():
    call = read("GMT20261201-150000_Recording.transcript.vtt")
    assert call.began == datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
    assert said(call)[0] == ("Priya Raman", "Our technicians drive out and the part is not there.")
    # "The point is:" inside what she said is no speaker
    assert said(call)[-1] == ("Priya Raman", "The point is: about forty times a quarter.")


def test_google_meet_captions_with_a_header_block_name_speakers_in_the_text():
    call = read("meet-captions.vtt")
    assert call.kind == "webvtt" and call.began is None
    assert said(call) == [
        (
            "Priya Raman",
            "We would need the pilot live in two depots first. Not all eleven at once.",
        ),
        ("Alex Morgan", "Which two?"),
        ("Tom Becker", "Leipzig and Hamburg, they have the worst backlog."),
    ]


def test_otter_subrip_and_otter_text_turn_headers():
    assert said(read("otter-export.srt")) == [
        ("Priya Raman", "We budgeted for it in January."),
        ("Alex Morgan", "For the whole fleet?"),
        ("Priya Raman", "For the first region only."),
    ]
    notes = read("otter-notes.txt")
    assert notes.kind == "text"
    assert said(notes)[0] == (
        "Priya Raman",
        "We want to see it working at depot 7 first. Then the rest.",
    )
    assert notes.turns[2].at == timedelta(seconds=21)


def test_a_meet_text_export_gives_its_title_date_and_attendees():
    call = read("meet-export.txt")
    assert call.title == "Kestrel weekly check-in"
    assert call.began == datetime(2026, 12, 2, 14, 0)  # the seller's own clock
    assert call.attendees == ("Alex Morgan", "Priya Raman", "Tom Becker")
    assert said(call)[0] == ("Priya Raman", "We need the pilot signed before the board meets.")


def test_windows_1252_and_utf16_transcripts_are_read():
    text = "Jonas Meyer: Die Lösung kostet zu viel.\nAlex Morgan: Warum?\n"
    for encoding in ("cp1252", "utf-16"):
        call = read_transcript("old.txt", text.encode(encoding))
        assert said(call)[0] == ("Jonas Meyer", "Die Lösung kostet zu viel.")


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"\x00\x01binary" * 10, "binary data"),
        (b"just some notes without anyone speaking\nmore notes\n", "not a transcript"),
        (b"x" * (MAX_BYTES + 1), "bytes; a transcript is read up to"),
    ],
)
def test_what_is_no_transcript_is_one_line_naming_the_file(data, why):
    with pytest.raises(BadInput, match=why) as caught:
        read_transcript("weird.txt", data)
    assert str(caught.value).startswith("weird.txt: ") and "\n" not in str(caught.value)


@pytest.mark.slow  # 100,000 cues through webvtt-py: about 6 s
def test_a_vtt_of_100000_cues_is_read_whole():
    """Bounded: cues joined in linear time (bench/ measures it)."""
    cues = "".join(
        f"\n{n}\n00:{n // 6000 % 60:02d}:{n // 100 % 60:02d}.000 --> "
        f"00:{n // 6000 % 60:02d}:{n // 100 % 60:02d}.500\nPriya Raman: word {n}\n"
        for n in range(100_000)
    )
    call = read_transcript("long.vtt", ("WEBVTT\n" + cues).encode())
    assert len(call.turns) == 1 and call.turns[0].text.endswith("word 99999")


MEMORY_OF_READING = """
import resource, sys
from pathlib import Path
from focusblock.transcripts import read_transcript
import webvtt  # imported before the first figure: its modules are no cost of the file
data = Path(sys.argv[1]).read_bytes()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
call = read_transcript("teams.vtt", data)
grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(len(call.turns), grown * 1024 / len(data))
"""


@pytest.mark.slow  # 100,000 cues through webvtt-py in a process of its own: about 6 s
def test_a_teams_vtt_of_100000_cues_is_read_in_a_few_times_its_size(tmp_path):
    """webvtt-py holds every cue it reads as objects, about 13 times the file: a 20 MB
    transcript took 300 MB. Read a piece at a time, the file's own size dominates."""
    speakers = ("Jonas Meyer", "Alex Morgan", "Priya Raman")
    cues = "".join(
        f"6f1c2a/{n}-0\n0:{n // 3000}:{n // 50 % 60}.{n % 50 * 20} --> "
        f"0:{n // 3000}:{n // 50 % 60}.{n % 50 * 20 + 10}\n"
        f"<v {speakers[n % 3]}>Audit freight pallet budget, quarter {n}.</v>\n\n"
        for n in range(100_000)
    )
    path = tmp_path / "teams.vtt"
    path.write_text("WEBVTT\n\n" + cues, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", MEMORY_OF_READING, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    turns, times_the_file = done.stdout.split()
    assert int(turns) == 100_000
    assert float(times_the_file) < 5, f"reading took {float(times_the_file):.1f} times the file"


def test_a_turn_of_one_line_is_cut_in_memory_a_few_times_its_size():
    """A 19 MB transcript with no newline is one turn: counting its words as a list of
    every word took 12 times the file."""
    sentence = "Freight audit\u00a0budget\tpallet  quarter carrier pilot route tender. "
    text = "  " + sentence * 30_000
    tracemalloc.start()
    try:
        pieces = remarks_of(text)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert pieces[0] == " ".join((sentence * 6).split()) and len(pieces) == 5_000
    assert peak < 5 * len(text), f"cutting took {peak / len(text):.1f} times the text"


def test_labels_of_notes_are_no_speakers():
    notes = (
        b"Kestrel call notes\nPriya Raman: We lose parts every week.\n"
        b"Action Items: send pricing sheet and the reference list\n"
        b"Next Step: demo for the whole board on Friday\n"
        b"Note: they seemed unhappy about our price\n"
    )
    read = read_transcript("notes.txt", notes)
    assert read.speakers == ("Priya Raman",)
    assert [t.text for t in read.turns if t.speaker] == ["We lose parts every week."]


def test_unnamed_voices_are_speakers_to_place_not_a_file_refused():
    call = read_transcript("otter.txt", b"Speaker 1: We lose parts.\nSpeaker 2: How many?\n")
    assert call.speakers == ("Speaker 1", "Speaker 2")


def test_a_speaker_heard_once_under_another_is_a_speaker():
    """Marco speaks once, right under the seller's line, in a file that names others in full:
    he is a speaker, and his words are his (a reading of 'Cost: ...' as a listed point,
    tried and reverted, merged him into the seller's turn and dropped his commitment)."""
    call = read_transcript(
        "call.txt",
        b"Priya Raman: We lose trips.\nSam Seller: What would fixing that be worth?\n"
        b"Marco: We'd save about 200k a year, I own that budget.\n",
    )
    assert "Marco" in call.speakers
    assert [t.text for t in call.turns if t.speaker == "Marco"] == [
        "We'd save about 200k a year, I own that budget."
    ]


@pytest.mark.parametrize("shown", ["Sam Seller", "Sam - Seller Inc", "Sam S."])
def test_a_first_name_given_as_me_is_the_only_speaker_of_that_first_name(shown):
    """Review of '--me Alex' against the customer Alex Chen: with no other speaker of that
    first name, '--me Sam' is still the seller's fuller display name."""
    from focusblock.capture import _is_the_seller, _name_words

    assert _is_the_seller(shown, [_name_words("Sam")], None, [shown, "Priya Raman"])
    assert not _is_the_seller("Sam Chen", [_name_words("Sam")], None, ["Sam", "Sam Chen"])
