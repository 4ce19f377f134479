"""What an import did: counts, problems, notes (``ImportSummary``), and the Ctrl+C that ends one."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from annotator.schemas.labels import LabelSchema


@dataclass
class ImportSummary:
    documents_added: int = 0
    duplicates_skipped: int = 0
    spans_added: int = 0
    spans_already_stored: int = 0  # identical spans of documents stored before: not added again
    links_added: int = 0
    rejections_restored: int = 0  # gold's rejected review groups, restored as decisions
    statuses_set: int = 0
    records_rejected: int = 0  # Prodigy answer "reject"
    records_ignored: int = 0  # Prodigy answer "ignore"
    records_invalid: int = 0  # not stored because of a problem (listed in ``problems``)
    spans_dropped: int = 0  # dropped on purpose by the label map (FROM=-)
    files_read: int = 0
    files_refused: int = 0
    files_stored: int = 0  # files whose transaction committed
    files_skipped: list[str] = field(
        default_factory=list
    )  # "file: skipped, why": what a folder holds but is not imported
    files_failed: list[str] = field(default_factory=list)  # files with problems, nothing stored
    problems: list[str] = field(default_factory=list)  # "file:line: message", one per problem
    refused: list[str] = field(default_factory=list)  # "file: reason"
    notes: list[str] = field(default_factory=list)  # encodings detected, formats sniffed
    skipped: Counter[str] = field(default_factory=Counter)  # what the format has that we do not import
    skipped_example: dict[str, str] = field(default_factory=dict)
    unknown_labels: Counter[str] = field(default_factory=Counter)  # input labels the schema lacks -> spans
    new_annotators: list[str] = field(default_factory=list)  # annotators this import created (said once)

    @property
    def ok(self) -> bool:
        """True when every file was read and stored in full."""
        return not self.files_failed and not self.files_refused and not self.records_invalid

    def line(self) -> str:
        parts = [
            f"{self.documents_added} document{'s' if self.documents_added != 1 else ''} added",
            f"{self.duplicates_skipped} duplicate{'s' if self.duplicates_skipped != 1 else ''} skipped",
            f"{self.spans_added} span{'s' if self.spans_added != 1 else ''} added",
        ]
        if self.spans_already_stored:
            parts.append(
                f"{self.spans_already_stored} span{'s' if self.spans_already_stored != 1 else ''} already stored"
            )
        if self.links_added:
            parts.append(f"{self.links_added} link{'s' if self.links_added != 1 else ''} added")
        if self.rejections_restored:
            n = self.rejections_restored
            parts.append(f"{n} rejected review group{'s' if n != 1 else ''} restored")
        if self.records_rejected or self.records_ignored:
            parts.append(
                f"{self.records_rejected} rejected and {self.records_ignored} ignored records (no annotations)"
            )
        if self.records_invalid:
            parts.append(f"{self.records_invalid} invalid record{'s' if self.records_invalid != 1 else ''} not stored")
        if self.spans_dropped:
            parts.append(f"{self.spans_dropped} span{'s' if self.spans_dropped != 1 else ''} dropped by the label map")
        parts.append(f"{self.files_refused} file{'s' if self.files_refused != 1 else ''} refused")
        if self.files_skipped:
            parts.append(f"{len(self.files_skipped)} file{'s' if len(self.files_skipped) != 1 else ''} skipped")
        return ", ".join(parts)

    def skipped_lines(self) -> list[str]:
        return [
            f"skipped {count} {kind} (e.g. {self.skipped_example[kind]})"
            for kind, count in sorted(self.skipped.items())
        ]

    def label_hint(self, schema: LabelSchema) -> str | None:
        """One line naming the labels the schema lacks and how to map them."""
        if not self.unknown_labels:
            return None
        found = ", ".join(f"{label} ({count})" for label, count in self.unknown_labels.most_common())
        example = self.unknown_labels.most_common(1)[0][0]
        return (
            f"labels not in schema {schema.name!r} ({', '.join(schema.label_names)}): {found}; "
            f"map them with --label-map {example}={schema.label_names[0]},... or drop them with {example}=-"
        )

    def merge(self, other: ImportSummary) -> None:
        for name in (
            "documents_added",
            "duplicates_skipped",
            "spans_added",
            "spans_already_stored",
            "links_added",
            "rejections_restored",
            "statuses_set",
            "records_rejected",
            "records_ignored",
            "records_invalid",
            "spans_dropped",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.skipped.update(other.skipped)
        self.new_annotators.extend(other.new_annotators)
        for kind, example in other.skipped_example.items():
            self.skipped_example.setdefault(kind, example)


class ImportInterrupted(Exception):
    """Ctrl+C: the files committed so far stay; ``summary`` says what was stored."""

    def __init__(self, summary: ImportSummary) -> None:
        super().__init__("interrupted")
        self.summary = summary
