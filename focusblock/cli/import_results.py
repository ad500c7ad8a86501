"""What `remark import` prints and returns as JSON: one shape for every source of remarks
(a CSV file, an email, a transcript), and for several files at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, tzinfo
from typing import TYPE_CHECKING, Any

from focusblock.cli.output import Result, date_text, iso, one_line, plural, say
from focusblock.cli.result_parts import person_json

if TYPE_CHECKING:
    from focusblock.capture import SpeakerTally
    from focusblock.remark_input import ActivityType
    from focusblock.store.importing import ImportReport


@dataclass(frozen=True)
class RemarkImported(Result):
    """`remark import` of one file: one shape for every source of remarks (a CSV file, an
    email, a transcript): `{added: [{id, account, who, heard_on, source}], skipped:
    [{text, why}], warnings: [...]}`, ids null on a dry run (nothing was stored);
    `people_added`: the customers new to their account (`{account, name, email, role}`); a
    transcript adds each speaker (`speakers`), the call's day and its calendar event."""

    report: ImportReport
    ignored_columns: tuple[str, ...]
    dry_run: bool
    kept: str  # what the store holds, said if Ctrl-C comes while this is printed
    # what an email import left out: (which message, why)
    left_out: tuple[tuple[str, str], ...] = ()
    speakers: tuple[SpeakerTally, ...] = ()  # a transcript's, each placed
    day: date | None = None  # a transcript's call
    call: str | None = None  # the calendar event taken as the transcript's call
    # a CSV's activity types read as channels, each once
    activity_types: tuple[ActivityType, ...] = ()

    def json(self, zone: tzinfo) -> Any:
        r = self.report
        shape: dict[str, Any] = {
            "added": [
                {
                    "id": None if self.dry_run else remark.id,
                    "account": remark.account,
                    "who": remark.who,
                    "heard_on": iso(remark.heard_on, zone),
                    "source": remark.source,
                }
                for remark in r.added_remarks
            ],
            "skipped": [{"text": text, "why": why} for text, why in r.skipped],
            "accounts_created": list(r.accounts_created),
            "people_added": [{"account": p.account, **person_json(p)} for p in r.people_added],
            "activity_types": [
                {"label": t.label, "via": t.via.value, "rows": t.rows} for t in self.activity_types
            ],
            "warnings": self._warnings(),
            "dry_run": self.dry_run,
        }
        if self.day is not None:
            shape["call"] = {"day": iso(self.day, zone), "event": self.call}
        if self.speakers:
            shape["speakers"] = [
                {
                    "name": s.name,
                    "side": s.side.value,
                    "account": s.account,
                    "placed_by": s.how,
                    "remarks": s.remarks,
                    "left_out": s.left_out,
                    "why": s.why or None,
                }
                for s in self.speakers
            ]
        return shape

    def _warnings(self) -> list[str]:
        ignored = self.ignored_columns
        if not ignored:
            return []
        more = f" and {len(ignored) - 10:,} more" if len(ignored) > 10 else ""
        return [f"Ignored columns: {', '.join(c[:40] for c in ignored[:10])}{more}"]

    def text(self, zone: tzinfo) -> None:
        r = self.report
        verb = "Would add" if self.dry_run else "Added"
        corrected = f", {r.skipped_corrected:,} corrected since" if r.skipped_corrected else ""
        skipped = f"skipped {r.skipped_duplicates:,} already stored{corrected}"
        if r.skipped_deleted:  # said apart: only these need a command to come back
            deleted = r.deleted_said()
            others = r.skipped_duplicates or r.skipped_corrected
            skipped = f"{skipped}; {deleted}" if others else deleted
        say(f"{verb} {plural(r.added, 'remark')}; {skipped}.")
        if r.accounts_created:
            names = r.accounts_created
            more = f" and {len(names) - 20} more" if len(names) > 20 else ""
            say(f"{verb} {plural(len(names), 'new account')}: {', '.join(names[:20])}{more}")
        if r.people_added:
            people = ", ".join(f"{p.name} ({p.account})" for p in r.people_added[:20])
            more = f" and {len(r.people_added) - 20} more" if len(r.people_added) > 20 else ""
            say(f"{'Would add new people' if self.dry_run else 'New people'}: {people}{more}")
        if self.activity_types:
            read = ", ".join(
                f"{t.label} -> {t.via.value} ({plural(t.rows, 'row')})" for t in self.activity_types
            )
            say(f"Activity types read as channels: {read}")
        for warning in self._warnings():
            say(warning)
        for what, why in self.left_out:
            say(f"Skipped {what}: {why}.")
        if self.day is not None:
            event = f", its event {self.call}" if self.call else ""
            say(f"The call: {date_text(self.day)}{event}.")
        pieces = "turn" if self.day is not None else "message"
        for s in self.speakers:
            who = s.account if s.side.value == "customer" else s.side.value
            found = f"{plural(s.remarks, 'remark')}" if s.side.value == "customer" else ""
            left = f"{plural(s.left_out, pieces)} left out ({s.why})" if s.left_out else ""
            said = "; ".join(part for part in (found, left) if part)
            say(f"  {s.name} ({who}, by {s.how}): {said or 'nothing said'}")
        if self.dry_run:
            say("Dry run: nothing was changed.")

    def kept_if_interrupted(self) -> str | None:
        return self.kept


@dataclass(frozen=True)
class FileProblem:
    """Why one file of several was not imported: the error as it would be said alone."""

    message: str
    details: tuple[str, ...] = ()
    hint: str | None = None


@dataclass(frozen=True)
class FileImport:
    file: str
    result: RemarkImported | None  # None: the file was not imported
    problem: FileProblem | None = None


@dataclass(frozen=True)
class FilesImported(Result):
    """`remark import` of several files, each all or nothing: the one import shape over
    all of them (each remark and skip naming its file), and `files`, what became of each."""

    files: tuple[FileImport, ...]
    dry_run: bool

    def json(self, zone: tzinfo) -> Any:
        added: list[Any] = []
        skipped: list[Any] = []
        warnings: list[str] = []
        created: list[str] = []
        files = []
        for one in self.files:
            shape = one.result.json(zone) if one.result else {}
            added += [{**item, "file": one.file} for item in shape.get("added", [])]
            skipped += [{**item, "file": one.file} for item in shape.get("skipped", [])]
            warnings += [f"{one.file}: {w}" for w in shape.get("warnings", [])]
            created += [n for n in shape.get("accounts_created", []) if n not in created]
            files.append(
                {
                    "file": one.file,
                    "imported": one.result is not None,
                    "added": len(shape.get("added", [])),
                    "error": one.problem.message if one.problem else None,
                    "details": list(one.problem.details) if one.problem else [],
                    "activity_types": shape.get("activity_types", []),
                    **({"speakers": shape["speakers"]} if "speakers" in shape else {}),
                }
            )
        return {
            "added": added,
            "skipped": skipped,
            "accounts_created": created,
            "warnings": warnings,
            "dry_run": self.dry_run,
            "files": files,
        }

    def text(self, zone: tzinfo) -> None:
        for one in self.files:
            say(f"{one_line(one.file)}:")
            if one.result is not None:
                one.result.text(zone)
                continue
            problem = one.problem or FileProblem("not imported")
            say(f"  Not imported: {one_line(problem.message)}")
            for line in problem.details:
                say(f"    {line}")
            if problem.hint:
                say(f"  Hint: {problem.hint}")
        failed = sum(1 for one in self.files if one.result is None)
        if failed:
            say(f"{failed} of {len(self.files)} files not imported (nothing of those was stored).")

    def kept_if_interrupted(self) -> str | None:
        kept = [one.result.kept for one in self.files if one.result is not None]
        return kept[-1] if kept else None

    def exit_code(self) -> int:
        return 4 if any(one.result is None for one in self.files) else 0
