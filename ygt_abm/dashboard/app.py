"""The classroom in the browser (Solara): twin counties, the levers, play and step, the map and the charts.

Every browser tab builds its own ``Classroom`` inside the page component (``use_memo``), so thirty students
stepping their models never see each other's state. The page reads the model only through the classroom
(``dashboard/classroom.py``) and draws through ``dashboard/drawing.py``. Start it with ``ygt-abm dashboard``.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any, Callable

import pandas as pd
import solara

from ygt_abm.config.policy import shipped_policies
from ygt_abm.dashboard.classroom import BASELINE, TWINS, new_classroom
from ygt_abm.dashboard.controls import Control, lever, lever_catalogue, shipped_package
from ygt_abm.dashboard.drawing import chart_panels, county_map
from ygt_abm.vocabulary import WEEKS_PER_YEAR

#: Population choices: small counties step fast enough for a class (townships scale with population).
SIZES = {"20,000 residents": 20_000, "30,000 residents": 30_000, "50,000 residents": 50_000}
PLAY_PAUSE_SECONDS = 0.05  # between weeks while playing, so the page can redraw


@solara.component_vue(str(Path(__file__).with_name("county_map.vue")))
def CountyMap(twin: str, width: int, height: int, villages: list, facilities: list, flows: list, labels: list,
              event_pick_village: Callable[[int], None] | None = None,
              event_pick_facility: Callable[[int], None] | None = None):
    pass


@solara.component_vue(str(Path(__file__).with_name("twin_charts.vue")))
def TwinCharts(panels: list):
    pass


@solara.component
def ControlInput(control: Control, value: Any, on_value: Callable[[Any], None]):
    """One parameter of a lever, as the control its type calls for (sliders name their value)."""
    label = control.name.replace("_", " ")
    if control.kind in ("number", "integer") and value is not None:
        label = f"{label}: {value:g}"
    if control.kind == "switch":
        solara.Switch(label=label, value=bool(value), on_value=on_value)
    elif control.kind == "choice":
        solara.Select(label=label, values=list(control.options), value=value, on_value=on_value)
    elif control.kind == "choices":
        solara.SelectMultiple(label=label, values=list(value or []), all_values=list(control.options),
                              on_value=on_value)
    elif control.kind == "by_level":
        with solara.Column(gap="0px"):
            solara.Text(label, style={"font-size": "0.85em"})
            for level in control.options:
                current = float((value or {}).get(level, 0.0))
                solara.SliderFloat(f"{level}: {current:+g}", value=current, min=control.low, max=control.high,
                                   step=(control.high - control.low) / 100,
                                   on_value=lambda v, level=level: on_value({**(value or {}), level: round(v, 4)}))
    elif control.kind == "integer" and control.high is not None:
        solara.SliderInt(label, value=int(value), min=int(control.low), max=int(control.high), on_value=on_value)
    elif control.high is not None and control.low is not None and value is not None:
        solara.SliderFloat(label, value=float(value), min=control.low, max=control.high,
                           step=(control.high - control.low) / 200,
                           on_value=lambda v: on_value(round(v, 4)))
    else:
        solara.InputFloat(label, value=value, optional=control.optional, on_value=on_value)


@solara.component
def LeverCard(entry: dict, on_entry: Callable[[dict], None], on_remove: Callable[[], None]):
    spec = lever(entry["type"])
    with solara.Card(entry["type"].replace("_", " "), margin=0, elevation=1,
                     classes=["ygt-lever"], style={"margin-bottom": "6px"}):
        with solara.Details("what it does and where the documents say so"):
            solara.Markdown(spec.mechanism)
            if entry.get("source"):
                solara.Text(f"source: {entry['source']}", style={"font-size": "0.8em"})
        for control in spec.controls:
            current = entry.get(control.name, control.default)
            ControlInput(control, current, lambda v, name=control.name: on_entry({**entry, name: v}))
        solara.Button("remove", text=True, small=True, on_click=on_remove)


def _table(rows: list[dict]) -> None:
    if rows:
        solara.DataFrame(pd.DataFrame(rows), items_per_page=8)
    else:
        solara.Text("no episodes yet")


@solara.component
def Page():
    size, set_size = solara.use_state(30_000)
    generation, set_generation = solara.use_state(0)
    room = solara.use_memo(lambda: new_classroom(population=size), dependencies=[size, generation])
    lock = solara.use_memo(threading.Lock, dependencies=[room])
    version, set_version = solara.use_state(0)
    draft, set_draft = solara.use_state([])
    draft_package, set_draft_package = solara.use_state(None)
    playing, set_playing = solara.use_state(False)
    selected, set_selected = solara.use_state(None)  # a facility index
    message, set_message = solara.use_state("")

    def advance(weeks: int) -> None:
        with lock:
            room.step(weeks)
        set_version(lambda v: v + 1)

    def play(cancel: threading.Event) -> None:
        while playing and not cancel.is_set():
            advance(1)
            time.sleep(PLAY_PAUSE_SECONDS)

    solara.use_thread(play, dependencies=[playing, room])

    def apply() -> None:
        try:
            with lock:
                year = room.set_levers(draft, package=draft_package)
        except ValueError as exc:
            set_message(f"Not applied: {exc}")
            return
        set_message(f"Levers in force from year {year}." if draft else f"Policy twin back to the baseline from year {year}.")
        set_version(lambda v: v + 1)

    def choose_package(name: str) -> None:
        set_draft([dict(e) for e in shipped_package(name).interventions])
        set_draft_package(name)
        set_message(f"{name}: press “apply levers” to put its levers in force.")

    def reset(new_size: int | None = None) -> None:
        set_playing(False)
        if new_size is not None:
            set_size(new_size)
        set_generation(lambda g: g + 1)
        set_selected(None)
        set_message("")

    def export() -> str:  # written when the button is pressed, not at every redraw
        with lock:
            return room.experiment_yaml()

    def follow(village: int) -> None:
        with lock:
            room.follow(village)
        set_version(lambda v: v + 1)

    with lock:  # a consistent picture of both twins, never half a week
        maps = {twin: county_map(room, twin) for twin in TWINS}
        panels = chart_panels(room)
        followed = room.followed
        episodes = {twin: list(followed.episodes[twin]) for twin in TWINS} if followed else {}
        person = room.person(BASELINE)
        facilities = {twin: room.facility(twin, selected) for twin in TWINS} if selected is not None else {}
        status = (f"Year {room.year}, week {room.weeks % WEEKS_PER_YEAR + 1}" if room.weeks % WEEKS_PER_YEAR
                  else f"Start of year {room.year}")
        levers = (f"levers from year {room.periods[-1].start}: " + ", ".join(e["type"] for e in room.levers)
                  if room.levers else "levers: none")

    solara.Title("ygt_abm classroom")
    with solara.Sidebar():
        solara.Markdown("### ygt_abm classroom\nTwin counties: the **baseline** never changes; the **policy** "
                        "twin gets your levers. Same residents, same illnesses: every difference is the policy.")
        solara.Select("county size", values=list(SIZES),
                      value=next(k for k, v in SIZES.items() if v == size), on_value=lambda k: reset(SIZES[k]))
        with solara.Row():
            solara.Button("week", on_click=lambda: advance(1), disabled=playing, classes=["ygt-step-week"])
            solara.Button("year", on_click=lambda: advance(WEEKS_PER_YEAR - room.weeks % WEEKS_PER_YEAR),
                          disabled=playing, classes=["ygt-step-year"])
        with solara.Row():
            solara.Button("pause" if playing else "play", on_click=lambda: set_playing(not playing),
                          color="primary", classes=["ygt-play"])
            solara.Button("reset", on_click=lambda: reset(), classes=["ygt-reset"])
        solara.Select("policy package", values=shipped_policies(), value=draft_package, on_value=choose_package)
        solara.Button("apply levers", on_click=apply, color="success", classes=["ygt-apply"])
        if message:
            solara.Info(message)
        solara.FileDownload(export, filename="classroom-experiment.yaml", label="export as experiment YAML")
        solara.Markdown("Levers take effect at the start of the next simulated year, as budgets and "
                        "reimbursement rules do.")

    with solara.Column(classes=["ygt-main"]):
        solara.Markdown(f"**{status}** · {room.region.population:,} residents, "
                        f"{len(room.region.township_names)} townships · {levers}",
                        style={"font-size": "0.95em"})
        with solara.Columns([1, 1]):
            for twin in TWINS:
                with solara.Column(classes=[f"ygt-twin-{twin}"]):
                    solara.Text(f"{twin} twin", style={"font-weight": "bold"})
                    CountyMap(**maps[twin], event_pick_village=follow, event_pick_facility=set_selected)
        TwinCharts(panels=panels)
        with solara.Columns([1, 1]):
            with solara.Column():
                solara.Markdown("#### A resident (click a village)")
                if followed:
                    solara.Text(f"resident {followed.resident}: {person['age_band']}, "
                                f"{', '.join(person['conditions']) or 'no chronic condition'}, "
                                f"{'insured' if person['insured'] else 'uninsured'}")
                    for twin in TWINS:
                        solara.Text(f"{twin} twin", style={"font-weight": "bold"})
                        _table(episodes[twin][-8:])
            with solara.Column():
                solara.Markdown("#### A facility (click a township centre or a hospital)")
                if facilities:
                    rows = {twin: {k: v for k, v in facilities[twin].items() if k != "capability"} for twin in TWINS}
                    solara.DataFrame(pd.DataFrame(rows).reset_index(names=""))
        solara.Markdown("#### Levers (your draft: press “apply levers” in the sidebar)")
        solara.Select("add a lever", values=[spec.type for spec in lever_catalogue()], value=None,
                      on_value=lambda t: t and set_draft([*draft, {"type": t, **lever(t).defaults()}]))
        for i, entry in enumerate(draft):
            LeverCard(entry, on_entry=lambda e, i=i: set_draft([*draft[:i], e, *draft[i + 1:]]),
                      on_remove=lambda i=i: set_draft([*draft[:i], *draft[i + 1:]]))
