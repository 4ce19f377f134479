"""The window on screen is suggested first and cheaply (issue 12, round 8): the suggestion worker computes its
suggestions while the app opens the database (``Suggester.warm_up(text, focus)``), and the first ``run`` hands them
over without running the rules again. Work is counted (calls of ``engine.raw_suggestions``), never timed."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.schemas.labels import load_default_schema
from annotator.services.suggestions import engine, windows
from annotator.services.suggestions.background import Batch, Inputs, Suggester
from annotator.services.suggestions.engine import Sources
from annotator.services.suggestions.propagation import Tagged

ROOT = Path(__file__).resolve().parent.parent


def long_report(size: int) -> str:
    base = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "sources").glob("*.txt")))
    return ((base + "\n\n") * (size // len(base) + 1))[:size]


@pytest.fixture(scope="module")
def sources() -> Sources:
    return Sources.build(load_default_schema(), trained=False)


@pytest.fixture
def computed(monkeypatch) -> list[int]:
    """The length of each text the rules run on."""
    lengths: list[int] = []
    real = engine.raw_suggestions

    def counted(text, sources, *, tagged=None):
        lengths.append(len(text))
        return real(text, sources, tagged=tagged)

    monkeypatch.setattr(engine, "raw_suggestions", counted)
    return lengths


def plain(batches: list[Batch]) -> list[tuple]:
    return [
        (b.within, [(s.label, s.start, s.end, s.source, s.attrs, s.links, s.link_keys) for s in b.suggestions])
        for b in batches
    ]


def test_the_window_on_screen_is_computed_ahead_and_not_again(sources, computed):
    text, focus = long_report(60_000), 31_000
    plan = windows.nearest_first(windows.plan(text), focus)
    on_screen = plan[0]
    assert on_screen.core_lo <= focus < on_screen.core_hi and on_screen.core_lo > 0 and len(plan) >= 4

    fresh: list[Batch] = []
    Suggester(sources=sources).run(Inputs(1, text, (), frozenset(), None), focus=focus, deliver=fresh.append)
    assert len(computed) == len(plan)  # without a warm-up: the rules run once per window
    computed.clear()

    warmed = Suggester(sources=sources)
    warmed.warm_up(text, focus)
    assert computed == [on_screen.hi - on_screen.lo]  # the window on screen, context and all, and nothing else
    computed.clear()
    batches: list[Batch] = []
    warmed.run(Inputs(1, text, (), frozenset(), None), focus=focus, deliver=batches.append)
    assert len(computed) == len(plan) - 1  # the rules never ran again for the window on screen
    assert batches[0].within == (on_screen.core_lo, on_screen.core_hi) and batches[0].suggestions
    assert plain(batches) == plain(fresh)  # the same suggestions as computed in the run

    computed.clear()
    again: list[Batch] = []
    warmed.run(Inputs(1, text, (), frozenset(), None), focus=focus, deliver=again.append)
    assert len(computed) == len(plan) and plain(again) == plain(fresh)  # kept for one run only


def test_what_the_annotator_tagged_elsewhere_makes_the_window_computed_again(sources, computed):
    text, focus = long_report(30_000), 0
    tagged = Tagged()
    tagged.add("ACTOR", "the town council", {"actor_type": "government"})
    plan = windows.plan(text)
    warmed = Suggester(sources=sources)
    warmed.warm_up(text, focus)
    computed.clear()
    batches: list[Batch] = []
    warmed.run(Inputs(1, text, (), frozenset(), tagged), focus=focus, deliver=batches.append)
    assert len(computed) == len(plan)  # propagated strings feed the rules: the window ahead is not used
    fresh: list[Batch] = []
    Suggester(sources=sources).run(Inputs(1, text, (), frozenset(), tagged), focus=focus, deliver=fresh.append)
    assert plain(batches) == plain(fresh)


def test_another_window_than_the_one_ahead_is_computed(sources, computed):
    text = long_report(60_000)
    warmed = Suggester(sources=sources)
    warmed.warm_up(text, 0)  # the cursor moved to the end before the database opened
    computed.clear()
    batches: list[Batch] = []
    warmed.run(Inputs(1, text, (), frozenset(), None), focus=len(text) - 1, deliver=batches.append)
    assert len(computed) == len(windows.plan(text))
    fresh: list[Batch] = []
    Suggester(sources=sources).run(Inputs(1, text, (), frozenset(), None), focus=len(text) - 1, deliver=fresh.append)
    assert plain(batches) == plain(fresh)


def test_the_world_s_names_are_read_back_from_their_cache_file_as_built(tmp_path, monkeypatch):
    from annotator.services.suggestions import gazetteer

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    built = gazetteer._world_names_read(1_000_000, ("CF",), True)
    gazetteer._world_names.cache_clear()
    try:
        assert gazetteer._world_names(1_000_000, ("CF",), True) == built  # built, then written
        assert len(list((tmp_path / "annotator").glob("world-names-*.json"))) == 1
        monkeypatch.setattr(gazetteer, "_world_names_read", lambda *args: pytest.fail("read every city again"))
        gazetteer._world_names.cache_clear()
        assert gazetteer._world_names(1_000_000, ("CF",), True) == built  # read from the file
        assert ("Bangui", "city/town") in built and ("Central African Republic", "country") in built
    finally:
        gazetteer._world_names.cache_clear()


def test_a_worker_started_ahead_is_the_one_the_first_suggester_takes():
    from annotator.services.suggestions import background

    background.prestart_worker()
    background.prestart_worker()  # one spare at most
    assert len(background._spare) == 1
    spare = background._spare[0]
    suggester = Suggester(load_default_schema())
    try:
        suggester.warm_up()
        assert background._spare == [] and suggester._pool().proc is spare  # type: ignore[union-attr]
        batches: list[Batch] = []
        text = "Seleka rebels attacked Bangui, a resident said."
        assert suggester.run(Inputs(1, text, (), frozenset(), None), deliver=batches.append)
        assert ("LOCATION", "Bangui") in {(s.label, text[s.start : s.end]) for s in batches[0].suggestions}
    finally:
        suggester.close()
    assert spare.poll() is not None  # closed with its suggester


def test_after_the_prestart_the_first_window_only_runs_the_rules_on_it(monkeypatch):
    """``preload`` (the worker's steps before its first request, while the app starts) builds the bundled schema's
    sources and warms them up; the app's first requests then build nothing: no sources, no gazetteer, no place
    tries of the world, no warm-up run; the window on screen is the rules' only run (round 9, benchmark 9)."""
    from annotator.services.suggestions import background, places

    monkeypatch.setattr(background, "_prebuilt", {})
    state: dict = {}
    background.preload()
    built: list[str] = []
    for owner, name in ((engine.Sources, "build"), (engine, "load_gazetteer"), (places.Places, "__init__")):
        real = getattr(owner, name)

        def counted(*args, _real=real, _name=name, **kwargs):
            built.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(owner, name, staticmethod(counted) if name == "build" else counted)
    runs: list[int] = []
    real_raw = engine.raw_suggestions
    monkeypatch.setattr(
        engine,
        "raw_suggestions",
        lambda text, sources, *, tagged=None: runs.append(len(text)) or real_raw(text, sources),
    )
    background._start_worker(load_default_schema(), {}, state)  # the app's schema, no options
    assert built == [] and runs == []  # the sources preload built, warmed up there
    tries_before = set(state["sources"].gazetteer.places._tries)
    assert "CF" in tries_before  # the warm-up's country: its towns are in a trie already
    text = long_report(60_000)
    first = windows.plan(text)[0]
    background._warm_on(text[first.lo : first.hi], state)
    assert built == [] and runs == [first.hi - first.lo]
    assert background._prebuilt == {}  # taken once: another suggester builds its own
    other: dict = {}
    background._start_worker(load_default_schema(), {}, other)
    assert built == ["build", "load_gazetteer", "__init__"] and other["sources"] is not state["sources"]
