"""spaCy's binary training format: a ``.spacy`` DocBin (needs ``pip install 'annotator[spacy]'``).

One ``Doc`` per document and annotator, tokenized by ``spacy.blank("xx")`` (the language-
neutral tokenizer). Every span that lines up with token boundaries is in
``doc.spans["sc"]`` (overlaps allowed, as spancat wants); the non-overlapping ones —
chosen by ``spacy.util.filter_spans``, the same outermost-wins rule as the CoNLL export —
are ``doc.ents``. ``doc.char_span(..., alignment_mode="strict")`` decides alignment; a span
that does not align is left out and counted on standard error. ``doc.user_data`` keeps the
document id, title, annotator and status.

A DocBin is one serialised blob, so unlike the line formats it is assembled in memory
(compactly: token arrays and a string table) and written at the end.
"""

from __future__ import annotations

from typing import Any

from annotator.errors import UserError
from annotator.services.exporting.base import Counter, Exporter, by_label
from annotator.services.exporting.query import DocumentWork

LANG = "xx"


def _spacy() -> Any:
    try:
        import spacy
        from spacy.tokens import DocBin
    except ImportError:
        raise UserError("the spacy format needs spaCy: pip install 'annotator[spacy]'", field="format") from None
    return spacy, DocBin


class SpacyExporter(Exporter):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        spacy, DocBin = _spacy()
        self.nlp = spacy.blank(LANG)
        self.filter_spans = spacy.util.filter_spans
        self.docbin = DocBin(store_user_data=True)
        self.misaligned = Counter()
        self.examples: list[str] = []

    def write(self, item: DocumentWork) -> None:
        document = item.document
        for work in item.works:
            doc = self.nlp.make_doc(document.text)
            spans = []
            for span in work.spans:
                sp = doc.char_span(span.start, span.end, label=span.label, alignment_mode="strict")
                if sp is None:
                    self.misaligned.add(span.label)
                    if len(self.examples) < 3:
                        self.examples.append(
                            f"{document.uid} {span.start}-{span.end} {span.label} {document.text[span.start : span.end]!r}"
                        )
                    continue
                spans.append(sp)
            doc.spans["sc"] = spans
            doc.ents = self.filter_spans(spans)
            doc.user_data["document_id"] = document.uid
            doc.user_data["title"] = document.title
            doc.user_data["annotator"] = work.annotator
            doc.user_data["status"] = work.status
            self.docbin.add(doc)
            self.records += 1
            self.spans += len(spans)

    def close(self) -> None:
        self.sink.write(self.docbin.to_bytes())
        if self.misaligned.total:
            self.warnings.append(
                f"spacy: left out {self.misaligned.total} span(s) that do not line up with spaCy's tokens "
                f"({by_label(self.misaligned.counts)}), e.g. {'; '.join(self.examples)}"
            )
