"""Emails read into the sender's own new words: .eml and .mbox files (pure).

Only what the sender wrote in this message counts: quoted replies (`>` lines, "On ...
wrote:", Outlook's "-----Original Message-----" and "From: ... Sent: ..." blocks, Gmail's
quote block in HTML), the greeting line and the signature (sign-off, name, title, phone)
are left out. mail-parser-reply separates a reply from its quotes and signature (it knows
the wording of many mail programs and languages); the standard library reads MIME.

Every file is hostile input: its size, the number of messages and the depth of MIME
nesting are bounded; a part in an unknown or wrong charset is read with replacement
characters rather than refused.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.header import decode_header, make_header
from email.message import Message
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr, parsedate_to_datetime
from html.parser import HTMLParser

from focusblock.errors import BadInput

MAX_BYTES = 50_000_000  # a year of one customer's mail; a bigger mbox: split it
MAX_MESSAGES = 20_000
MAX_DEPTH = 8  # MIME parts inside parts: real mail nests 3 or 4 deep
MAX_PART_CHARS = 200_000  # of one message's text: the rest is quoted history or attachments

_MBOX_FROM = re.compile(rb"^From [^\n]*\n", re.M)
_GREETING = re.compile(
    # the greeting word and at most a title and a name ("Dear Dr. Jane Doe,"): a line that
    # goes on ("Hi Sam, the budget is approved") holds the customer's words
    r"^(hi|hello|hey|dear|hallo|guten (morgen|tag)|liebe[rs]?|bonjour|hola)\b"
    r"(?:\s+(?:(?-i:[A-ZÀ-Ý][^\s,;:!?]*)|all|team|everyone|there|folks|zusammen|à\stous))"
    r"{0,4}\s*[,!:.]?\s*$",
    re.I,
)
_QUOTE_LINE = re.compile(r"^\s*>")
_LANGUAGES = ["en", "de", "fr", "es", "it", "nl"]


@dataclass(frozen=True)
class Email:
    """One message: who sent it, when, and the words they wrote in it."""

    source: str  # the file, and for an mbox which message ("inbox.mbox #3")
    sender: str  # the address, lower case
    sender_name: str | None
    recipients: tuple[str, ...]  # To and Cc addresses, lower case
    sent: datetime | None
    subject: str
    words: str  # the sender's new words: no quotes, greeting or signature
    signature: str  # as written (a name, a title, a phone): who they are


def read_emails(name: str, data: bytes, wanted: Callable[[str], bool] | None = None) -> list[Email]:
    """The messages of an .eml or .mbox file (told apart by content); BadInput naming the
    file when it holds none or is too big. Only the messages whose sender's address is
    `wanted` get their words and signature read (the slow part: a mailbox is mostly
    other people's mail); the others come with neither."""
    if len(data) > MAX_BYTES:
        raise BadInput(f"{name}: {len(data):,} bytes; mail is read up to {MAX_BYTES:,} bytes")
    if data.startswith(b"From "):
        raw = [piece for piece in _MBOX_FROM.split(data) if piece.strip()]
        if len(raw) > MAX_MESSAGES:
            raise BadInput(f"{name}: more than {MAX_MESSAGES:,} messages; split the mailbox")
        emails = [_safely(f"{name} #{n}", piece, wanted) for n, piece in enumerate(raw, start=1)]
    else:
        emails = [_safely(name, data, wanted)]
    found = [e for e in emails if e is not None]
    if not found:
        raise BadInput(f"{name}: no email message in it (empty, or not an .eml or .mbox file)")
    return found


def _safely(source: str, data: bytes, wanted: Callable[[str], bool] | None) -> Email | None:
    """One message, or one line naming it: the standard library's mail parser raises
    IndexError, ValueError or UnicodeError on some malformed headers."""
    try:
        return _email(source, data, wanted)
    except BadInput:
        raise
    except RecursionError:  # the standard library's parser recurses once per MIME level
        raise BadInput(f"{source}: MIME parts nested too deep to read") from None
    except Exception as exc:  # a hostile message must never end in a traceback
        why = (str(exc).splitlines() or [type(exc).__name__])[0][:120]
        raise BadInput(f"{source}: not a readable email message ({why})") from None


def _email(source: str, data: bytes, wanted: Callable[[str], bool] | None) -> Email | None:
    message = BytesParser(policy=policy.default).parsebytes(data)
    headers = _headers(message)
    sender_name, sender = parseaddr(_first(headers, "from"))
    if "@" not in sender:
        return None
    words = signature = ""
    if wanted is None or wanted(sender.lower()):
        words, signature = _own_words(_text_of(message), sender_name)
    recipients = tuple(
        address.lower()
        for _, address in getaddresses([*headers.get("to", []), *headers.get("cc", [])])
        if "@" in address
    )
    return Email(
        source=source,
        sender=sender.lower(),
        sender_name=sender_name or None,
        recipients=recipients,
        sent=_sent(_first(headers, "date")),
        subject=" ".join(_first(headers, "subject").split()),
        words=words,
        signature=signature,
    )


_HEADERS_READ = frozenset({"from", "to", "cc", "date", "subject"})


def _headers(message: Message) -> dict[str, list[str]]:
    """The few headers read, decoded (=?utf-8?q?J=C3=B6rg?= is Jörg), by lower-case name.
    Read raw and decoded here: the standard library's header objects cost two thirds of
    a mailbox's reading time, for structure the reader never uses."""
    found: dict[str, list[str]] = {}
    for name, value in message.raw_items():
        key = name.lower()
        if key in _HEADERS_READ:
            found.setdefault(key, []).append(_decoded_header(str(value)))
    return found


def _decoded_header(raw: str) -> str:
    text = " ".join(raw.split())  # unfolded
    try:
        return str(make_header(decode_header(text)))
    except Exception:  # an unknown or lying charset: the header as written
        return text


def _first(headers: dict[str, list[str]], name: str) -> str:
    return next(iter(headers.get(name, [])), "")


def _sent(date_header: str) -> datetime | None:
    try:
        sent = parsedate_to_datetime(date_header)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if sent.tzinfo is None:  # "-0000": a time in UTC whose zone is not known
        sent = sent.replace(tzinfo=UTC)
    if not datetime(1970, 1, 2, tzinfo=UTC) <= sent <= datetime(9998, 12, 30, tzinfo=UTC):
        return None  # no real mail was sent then; a date that far cannot be shown in a zone
    return sent


def _text_of(message: Message) -> str:
    """The message's text: its plain part, else its HTML part made text (without Gmail's
    quoted history); parts deeper than MAX_DEPTH are not read."""
    plain, html = _parts(message, 0)
    if plain:
        return plain[:MAX_PART_CHARS]
    return _html_text(html[:MAX_PART_CHARS]) if html else ""


def _parts(part: Message, depth: int) -> tuple[str, str]:
    if depth > MAX_DEPTH:
        return "", ""
    if part.is_multipart():
        plain = html = ""
        for child in part.get_payload() or []:
            if not isinstance(child, Message):
                continue
            if str(child.get("Content-Disposition", "")).lower().startswith("attachment"):
                continue
            child_plain, child_html = _parts(child, depth + 1)
            plain, html = plain or child_plain, html or child_html
            if plain:
                break
        return plain, html
    kind = part.get_content_type()
    if kind not in ("text/plain", "text/html"):
        return "", ""
    text = _decoded(part)
    return (text, "") if kind == "text/plain" else ("", text)


def _decoded(part: Message) -> str:
    """A text part as text, whatever its transfer encoding; an unknown or wrong charset
    read with replacement characters."""
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset, errors="replace")
    except (LookupError, UnicodeError):  # a charset Python does not know, or cannot apply
        return payload.decode("utf-8", errors="replace")


class _HtmlText(HTMLParser):
    """The text of an HTML mail, leaving out quoted history (blockquote, Gmail's and
    Outlook's quote blocks), styles and scripts."""

    SKIPPED = frozenset({"blockquote", "style", "script", "head"})
    BREAKS = frozenset({"br", "p", "div", "li", "tr", "h1", "h2", "h3"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skipping: list[str] = []  # open tags whose content is skipped

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = " ".join(value or "" for key, value in attrs if key in ("class", "id"))
        quoted = "gmail_quote" in classes or "divRplyFwdMsg" in classes or "appendonsend" in classes
        if self.skipping or tag in self.SKIPPED or quoted:
            if tag not in ("br", "img", "hr", "meta", "link", "input"):
                self.skipping.append(tag)
            return
        if tag in self.BREAKS:
            self.out.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if self.skipping[-1] == tag:
                self.skipping.pop()
            return
        if tag in self.BREAKS:
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.out.append(data)


def _html_text(html: str) -> str:
    reader = _HtmlText()
    reader.feed(html)
    reader.close()
    lines = [" ".join(line.split()) for line in "".join(reader.out).split("\n")]
    # every <div> and <p> breaks the line; blank lines are the mail program's spacing
    return re.sub(r"\n{2,}", "\n", "\n".join(lines)).strip()


_SIGN_OFF = re.compile(
    r"^(best|thanks|thank you|cheers|regards|kind regards|best regards|many thanks|"
    r"viele grüße|beste grüße|mit freundlichen grüßen|gruß|cordialement|saludos)\b[ ,.!]*$",
    re.I,
)


# where quoted history starts, in the wordings the library leaves (a German Outlook's
# "Ursprüngliche Nachricht", a forward, "Alex Morgan wrote:" without "On ..."), and a
# "From: ... / Sent: ..." header block
_HISTORY = re.compile(
    r"^\s*-{2,}\s*(original message|ursprüngliche nachricht|message d'origine|"
    r"mensaje original|messaggio originale|oorspronkelijk bericht|forwarded message|"
    r"weitergeleitete nachricht|message transféré)\s*-{2,}\s*$",
    re.I,
)
# the line a mail program puts above the quoted mail ("On ... Sam <sam@...> wrote:", "2026-12-02
# 9:00 GMT+01:00 Sam <sam@...>:"): it starts the history only when quoted lines follow it,
# for a customer may well write "this is what she wrote:" above their boss's words
_ATTRIBUTION = re.compile(
    r"^.{0,160}(\b(wrote|schrieb|a écrit|écrit|escribió|ha scritto|schreef)|<[^<>\s]+@[^<>\s]+>)"
    r"\s*:\s*$",
    re.I,
)
# the same line in a shape no sentence of the customer's has: "On <date>, ... wrote:", or
# a name alone (and an address) before "wrote:": history even when nothing is quoted
_NAMED_ATTRIBUTION = re.compile(
    r"^\s*(?:(?i:on|le|am|el|il|op)\s.{0,140}"
    r"|(?:\"?[A-ZÀ-Ý][\w.'-]*\"?\s+){0,3}\"?[A-ZÀ-Ý][\w.'-]*\"?(?:\s*<[^<>\s]+@[^<>\s]+>)?\s+)"
    r"(?i:wrote|schrieb|a écrit|escribió|ha scritto|schreef)\s*:\s*$"
)
# its last word alone on a line: the program wrapped it ("Le ... <sam@...> a" / "écrit :")
_WRAPPED_ATTRIBUTION = re.compile(r"^\s*(wrote|schrieb|écrit|escribió|schreef)\s*:\s*$", re.I)
_HEADER_BLOCK = re.compile(r"^\s*(from|von|de|da|van)\s*:\s*\S", re.I)
_HEADER_NEXT = re.compile(
    r"^\s*(sent|gesendet|envoyé|enviado|inviato|verzonden|date|datum)\s*:", re.I
)


def _history_at(lines: list[str]) -> int | None:
    """Where the first quoted or forwarded history starts: its first line's index."""
    for index in range(len(lines)):
        if _opens_history(lines, index):
            wrapped = index and _WRAPPED_ATTRIBUTION.match(lines[index])
            return index - 1 if wrapped else index
    return None


def _opens_history(lines: list[str], index: int) -> bool:
    line = lines[index]
    following = lines[index + 1] if index + 1 < len(lines) else ""
    return bool(
        _HISTORY.match(line)
        or (_HEADER_BLOCK.match(line) and _HEADER_NEXT.match(following))
        or _attribution(lines, index)
    )


def _attribution(lines: list[str], index: int) -> bool:
    """Whether the line at `index` is the one a mail program puts above a quoted mail: its
    own shape, or "... wrote:" with quoted lines under it, an address in it, or nothing
    after it (an HTML mail whose quote was a block, gone with the markup)."""
    line = lines[index]
    if _NAMED_ATTRIBUTION.match(line):
        return True
    if not _ATTRIBUTION.match(line):
        return False
    # the next line with text, found without copying the rest of the mail (a mail of
    # lines ending in "wrote:" would make that quadratic)
    following = next((lines[i] for i in range(index + 1, len(lines)) if lines[i].strip()), None)
    return following is None or "@" in line or bool(_QUOTE_LINE.match(following))


def _between_quotes(lines: list[str]) -> list[str]:
    """The lines written under quoted ones: answers inline, or below the quoted mail,
    up to any older history."""
    written: list[str] = []
    quoted = False
    for index, line in enumerate(lines):
        if _QUOTE_LINE.match(line):
            quoted = True
        elif _opens_history(lines, index):
            break
        elif quoted:
            written.append(line)
    return written


def _own_words(text: str, sender_name: str) -> tuple[str, str]:
    """(the sender's new words, their signature) of a message's text."""
    from mailparser_reply import EmailReplyParser

    replies = EmailReplyParser(languages=_LANGUAGES).read(text).replies
    if not replies:
        return "", ""
    first = replies[0]
    lines = first.body.split("\n")
    start = _history_at(lines)
    # answers written inline come only from the mail quoted right under "On ... wrote:"
    # (the customer's quoting of it); never from an older mail under a header block,
    # whose own inline lines may be the seller's
    quoted_mail: list[str] = []
    if start is not None:
        wrapped = start + 1 < len(lines) and _WRAPPED_ATTRIBUTION.match(lines[start + 1])
        attribution = start + 1 if wrapped else start
        if _attribution(lines, attribution):
            quoted_mail = lines[attribution + 1 :]
        lines = lines[:start]
    elif len(replies) > 1 and _attribution(replies[1].headers.strip().split("\n")[-1:], 0):
        quoted_mail = replies[1].body.split("\n")
    lines = [line for line in lines if not _QUOTE_LINE.match(line)]
    inline = _between_quotes(quoted_mail)
    if any(line.strip() for line in inline):
        lines += ["", *inline]
    while lines and not lines[0].strip():
        lines.pop(0)
    if lines and _greeting(lines[0].strip()):
        lines.pop(0)
    signed = _signed_off(lines, sender_name)
    words = "\n".join(lines[: len(lines) - len(signed)]).strip()
    signature = "\n".join([*signed, first.signatures or ""]).strip()
    return words, signature


def _greeting(line: str) -> bool:
    """ "Hi Alex," or a bare "Alex,": the line that only greets."""
    bare_name = line.endswith(",") and len(line.split()) <= 3 and not line[:-1].count(",")
    return _GREETING.match(line) is not None or bare_name


def _signed_off(lines: list[str], sender_name: str) -> list[str]:
    """The lines at the end that only sign off: a sign-off word, the sender's name."""
    names = {part.casefold() for part in sender_name.replace(",", " ").split()}
    end = len(lines)
    while end and not lines[end - 1].strip():
        end -= 1
    start = end
    while start:
        line = lines[start - 1].strip()
        words = {w.casefold() for w in line.replace(",", " ").split()}
        signing = _SIGN_OFF.match(line) or (words and len(words) <= 3 and words <= names)
        if not (signing or (not line and start < end)):
            break
        start -= 1
    return lines[start:]


def is_email(data: bytes) -> bool:
    """Whether a file's start looks like a mail message or an mbox."""
    head = data[:4096]
    return head.startswith(b"From ") or (
        re.search(rb"^(From|Received|Return-Path|Message-ID|MIME-Version):", head, re.M | re.I)
        is not None
        and re.search(rb"^Subject:|^Date:", head, re.M | re.I) is not None
    )
