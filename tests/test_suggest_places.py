"""Small places: towns (GeoNames cities500) and regions (ISO 3166-2) of the countries a text names.

Made-up sentences; the names are real places in the packages' data.
"""

from __future__ import annotations

import gzip

import pytest

from annotator.services.suggestions import places
from annotator.services.suggestions.places import Places, load_index


@pytest.fixture(scope="module")
def small():
    return Places(load_index())


def _found(small, text):
    return [(text[s.start : s.end], s.attrs.get("place_type")) for s in small.find(text)]


def test_towns_only_for_a_country_the_text_names(small):
    assert _found(small, "Troops reached Damboa on Monday.") == []
    assert _found(small, "Troops reached Damboa, in northeast Nigeria, on Monday.") == [("Damboa", "city/town")]


def test_region_with_its_administrative_head(small):
    text = "Aid workers left Jonglei state and Upper Nile State after fighting in South Sudan."
    assert _found(small, text) == [("Jonglei state", "region"), ("Upper Nile State", "region")]


def test_a_name_that_is_a_word_needs_a_place_context(small):
    text = "South Sudan's Unity government met. Later, fighting reached Unity State."
    assert _found(small, text) == [("Unity State", "region")]


def test_a_name_accepted_once_is_found_at_each_occurrence(small):
    text = "Refugees arrived in Teknaf, Bangladesh. Teknaf is near the border."
    assert [t for t, _ in _found(small, text)] == ["Teknaf", "Teknaf"]


def test_upper_case_dateline(small):
    text = "TEKNAF, Bangladesh — Boats kept arriving on Friday."
    assert ("TEKNAF", "city/town") in _found(small, text)


def test_places_in_no_gazetteer_named_by_their_context(small):
    text = "Gunmen attacked the villages of Ombaro, Kelluwa and Tarmuwa Gana in Nigeria, then Zangeri camp."
    assert [t for t, _ in _found(small, text)] == ["Ombaro", "Kelluwa", "Tarmuwa Gana", "Zangeri"]
    # a demonym before "town" is not a place
    assert _found(small, "A Nigerian town was attacked in Nigeria.") == []


def test_part_of_a_longer_name_is_not_a_place(small):
    # Damboa is a town, but here it is part of a person's name
    assert _found(small, "In Nigeria, said Musa Damboa Kyari, nobody slept.") == []


def test_index_file_round_trip_and_a_damaged_file_is_rebuilt(tmp_path):
    data = {
        "version": places.INDEX_VERSION,
        "countries": {"Nigeria": "NG"},
        "places": {"NG": [["Damboa", "city/town"]]},
    }
    path = tmp_path / "cache" / "places-test.json.gz"
    places._write(path, data)
    back = places._read(path)
    assert back["countries"] == {"Nigeria": "NG"} and back["places"] == {"NG": '[["Damboa","city/town"]]'}
    assert Places(back).find("Damboa, Nigeria")[0].attrs["canonical"] == "Damboa"
    path.write_bytes(gzip.compress(b"{not json"))
    assert places._read(path) is None
    path.write_bytes(b"not gzip at all")
    assert places._read(path) is None
    assert not list(path.parent.glob(".places-*"))  # no temporary file left behind
