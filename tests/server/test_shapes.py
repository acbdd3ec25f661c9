"""The answers' models: made from the services' values, one list of fields each."""

from dataclasses import dataclass
from datetime import date

from inspector.server.routes.reports import NoteOut
from inspector.server.shapes import model_of
from inspector.services.info_reports import NoteView


@dataclass(frozen=True)
class _View:
    id: str
    day: date
    photos: tuple[str, ...]


def test_a_model_of_a_view_has_the_views_fields_and_reads_it():
    model = model_of(_View, "ViewOut", day="the local day")
    out = model.model_validate(_View(id="a", day=date(2026, 7, 15), photos=("x", "y")))
    assert out.model_dump(mode="json") == {"id": "a", "day": "2026-07-15", "photos": ["x", "y"]}
    assert model.model_json_schema()["properties"]["day"]["description"] == "the local day"


def test_the_note_answer_follows_the_services_note():
    assert list(NoteOut.model_fields) == list(NoteView.__dataclass_fields__)
    assert NoteOut.__name__ == "NoteOut"  # the schema's name stays
