"""A kept note type's cards follow Anki's own rule: `identity.templates` against Anki itself.

Random templates (fields, filters, `{{#X}}` and `{{^X}}` sections, comments) and random
notes are added to a real collection; the cards Anki makes must be the ones deckgen writes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from anki.collection import Collection
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from generator.identity.kept import KeptTypeError, kept_json, load_kept

FIELDS = ["Front", "Back", "Extra"]


def template() -> st.SearchStrategy[str]:
    field = st.sampled_from(FIELDS)
    leaf = st.one_of(
        field.map(lambda f: "{{" + f + "}}"),
        field.map(lambda f: "{{text:" + f + "}}"),
        st.sampled_from(["text ", "<br>", "<!-- {{Front}} -->", "{{FrontSide}}", "{{Tags}}"]),
    )

    def section(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.tuples(st.sampled_from("#^"), field, st.lists(children, max_size=3)).map(
            lambda t: "{{" + t[0] + t[1] + "}}" + "".join(t[2]) + "{{/" + t[1] + "}}"
        )

    return st.lists(st.recursive(leaf, section, max_leaves=6), min_size=1, max_size=4).map("".join)


@pytest.fixture(scope="module")
def anki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Collection]:
    col = Collection(str(tmp_path_factory.mktemp("rule") / "rule.anki2"))
    yield col
    col.close()


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    fronts=st.lists(template(), min_size=1, max_size=3, unique=True),
    values=st.lists(
        st.sampled_from(["", "x", " ", "<br>", "<div></div>", "y", "{{c2::a}}"]),
        min_size=3,
        max_size=3,
    ),
    tags=st.lists(st.sampled_from(["a", "b"]), max_size=1),
    cloze=st.booleans(),
)
def test_the_cards_of_a_kept_note_type_are_the_cards_anki_makes(
    anki: Collection,
    fronts: list[str],
    values: list[str],
    tags: list[str],
    cloze: bool,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    model = anki.models.new(f"rule {len(anki.models.all())}")
    if cloze:
        model["type"] = 1
        fronts = ["{{cloze:Front}}" + fronts[0]]
    for name in FIELDS:
        anki.models.add_field(model, anki.models.new_field(name))
    for i, front in enumerate(fronts):
        tmpl = anki.models.new_template(f"Card {i + 1}")
        tmpl["qfmt"], tmpl["afmt"] = front, "{{Back}}"
        anki.models.add_template(model, tmpl)
    try:
        anki.models.add(model)
    except Exception:  # Anki refuses some templates (a blank or repeated front): not our case
        assume(False)
    saved = anki.models.by_name(model["name"])
    assert saved is not None
    path = Path(tmp_path_factory.mktemp("kept")) / "t.json"
    path.write_text(kept_json(saved, {"prompt": "Front", "answer": "Back", "reverse": None}))
    kept = load_kept(path)
    assert kept.cloze == cloze

    note = anki.new_note(saved)
    for name, value in zip(FIELDS, values, strict=True):
        note[name] = value
    note.tags = tags
    anki.add_note(note, 1)
    assert sorted(c.ord for c in note.cards()) == kept.ordinals(values, bool(tags))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    changes=st.dictionaries(
        st.sampled_from(
            ["format", "id", "name", "mod", "cloze", "roles", "fields", "templates", "css", "latex"]
        ),
        json_values,
        max_size=3,
    )
)
def test_a_kept_note_type_file_is_untrusted_input(
    changes: dict[str, object], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Whatever a kept note type file holds, loading it gives a note type or a KeptTypeError."""
    good = json.loads(
        kept_json(
            {
                "id": 5,
                "name": "B",
                "flds": [{"name": "F"}],
                "tmpls": [{"name": "C", "qfmt": "{{F}}", "afmt": ""}],
            },
            {"prompt": "F", "answer": None, "reverse": None},
        )
    )
    path = Path(tmp_path_factory.mktemp("kept")) / "t.json"
    path.write_text(json.dumps({**good, **changes}))
    try:
        note_type = load_kept(path)
    except KeptTypeError as exc:
        assert str(exc)
    else:
        assert note_type.kept is not None and note_type.fields


def test_a_template_nested_thousands_deep_is_refused_not_a_crash(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    path = Path(tmp_path_factory.mktemp("kept")) / "t.json"
    deep = "{{#F}}" * 5_000 + "{{F}}" + "{{/F}}" * 5_000
    model = {"id": 5, "name": "B", "flds": [{"name": "F"}]}
    model["tmpls"] = [{"name": "C", "qfmt": deep, "afmt": ""}]
    path.write_text(kept_json(model, {"prompt": "F", "answer": None, "reverse": None}))
    with pytest.raises(KeptTypeError, match="nests sections over 100 deep"):
        load_kept(path)


def test_a_fifo_named_as_a_kept_note_type_is_refused_not_read(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    import os

    path = Path(tmp_path_factory.mktemp("kept")) / "t.json"
    os.mkfifo(path)
    with pytest.raises(KeptTypeError, match="not a regular file"):
        load_kept(path)
