"""The classroom in the browser (Solara): twin counties, the levers, play and step, the map and the charts.

Every browser tab builds its own ``Classroom`` inside the page component (``use_memo``), so thirty students
stepping their models never see each other's state. The page reads the model only through the classroom
(``dashboard/classroom.py``) and draws through ``dashboard/drawing.py``; its words come from
``dashboard/words.py``, in Chinese or English. Start it with ``ygt-abm dashboard``.

The layout is for a projector of 1280×720: the controls in a 300-pixel column (the lever picker beside
"apply"), the two maps and the six charts beside it without scrolling, the resident and facility below.
"""

from __future__ import annotations

import html
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any, Callable

import solara
import solara.lab
import solara.server.settings

from ygt_abm.config.policy import shipped_policies
from ygt_abm.dashboard.assets import WEB, font_stylesheet
from ygt_abm.dashboard.classroom import BASELINE, TWINS, new_classroom
from ygt_abm.dashboard.controls import Control, lever, lever_catalogue, shipped_package
from ygt_abm.dashboard.drawing import (
    TWIN_COLOURS, chart_panels, county_map, facility_rows, map_legend, resident_rows,
)
from ygt_abm.dashboard.words import (
    LANGUAGE_COOKIE, LANGUAGE_NAMES, LANGUAGES, language_for, lever_title, say,
)
from ygt_abm.vocabulary import WEEKS_PER_YEAR

# The server reads these for every page: the classroom's own script (dashboard/web/custom.js: a message
# where web assets are missing, not a blank page), and the plain loader, without Solara's badge, which sat
# over the charts. Students' connections are not reported to Solara's telemetry service: a classroom may be
# offline, and its students did not agree to it.
if str(WEB) not in solara.server.settings.assets.extra_locations:
    solara.server.settings.assets.extra_locations.append(str(WEB))
solara.server.settings.theme.loader = "plain"
solara.server.settings.telemetry.mixpanel_enable = False

#: Population choices: small counties step fast enough for a class (townships scale with population).
SIZES = {"20,000 residents": 20_000, "30,000 residents": 30_000, "50,000 residents": 50_000}
PLAY_PAUSE_SECONDS = 0.05  # between weeks while playing, so the page can redraw


@solara.component_vue(str(Path(__file__).with_name("county_map.vue")))
def CountyMap(twin: str, title: str, width: int, height: int, villages: list, facilities: list, flows: list,
              labels: list,
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
def LeverCard(entry: dict, language: str, on_entry: Callable[[dict], None], on_remove: Callable[[], None]):
    spec = lever(entry["type"])
    with solara.Card(lever_title(entry["type"], language), margin=0, elevation=1,
                     classes=["ygt-lever"], style={"margin-bottom": "6px"}):
        with solara.Details(say("what it does", language)):
            solara.Markdown(spec.mechanism)
            if entry.get("source"):
                solara.Text(say("source", language, source=entry["source"]), style={"font-size": "0.8em"})
        for control in spec.controls:
            current = entry.get(control.name, control.default)
            ControlInput(control, current, lambda v, name=control.name: on_entry({**entry, name: v}))
        solara.Button(say("remove", language), text=True, small=True, on_click=on_remove)


def _table(table: dict[str, Any], classes: str) -> None:
    """A table of words (``drawing.resident_rows``/``facility_rows``): no index, every cell written out."""
    head = "".join(f"<th>{html.escape(cell)}</th>" for cell in table["header"])
    body = "".join("<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>"
                   for row in table["rows"])
    solara.HTML(tag="table", unsafe_innerHTML=f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody>",
                classes=["ygt-table", classes])


def _legend(language: str) -> None:
    """What the maps' marks and the charts' colours mean, in two lines above the maps."""
    marks = {"village": '<svg width="12" height="12"><circle cx="6" cy="6" r="5" fill="{c}" stroke="#3182bd"/></svg>',
             "facility": '<svg width="12" height="12"><rect x="1" y="1" width="10" height="10" fill="{c}" '
                         'stroke="#222"/></svg>',
             "flow": '<svg width="22" height="12"><line x1="1" y1="6" x2="21" y2="6" stroke="{c}" stroke-width="5" '
                     'stroke-opacity="0.5"/></svg>',
             "twin": '<svg width="12" height="12"><circle cx="6" cy="6" r="5" fill="{c}"/></svg>'}
    charts = [*({"mark": "twin", "color": TWIN_COLOURS[twin], "text": say(f"{twin} twin", language)} for twin in TWINS),
              {"mark": "", "color": "", "text": say("legend lines", language)}]

    def item(i: dict) -> str:
        mark = marks.get(i["mark"], "").format(c=i["color"])
        return f'<span style="white-space: nowrap">{mark} {html.escape(i["text"])}</span>'

    inner = "<br>".join("&nbsp; ".join(item(i) for i in items) for items in (map_legend(language), charts))
    solara.HTML(tag="div", unsafe_innerHTML=inner, classes=["ygt-legend"])


#: The page's own style: the Chinese web font after Roboto (Latin in Roboto, Chinese in Noto Sans SC on any
#: machine), the panels of the 1280×720 layout, and the tables.
STYLE = """
@import url("{font}");
.v-application {{ --ygt-font: Roboto, "Noto Sans SC Variable", sans-serif; font-family: var(--ygt-font);
  --jp-ui-font-family: var(--ygt-font); --jp-content-font-family: var(--ygt-font); }}  /* Markdown's too */
.ygt-main svg text {{ font-family: var(--ygt-font); }}
.ygt-controls {{ width: 300px; flex: none; height: 100vh; overflow-y: auto; position: sticky; top: 0;
  padding: 6px 10px; border-right: 1px solid #ddd; background: #fafafa; }}
.ygt-controls > * {{ flex: none; }}
.ygt-controls .v-input {{ margin-top: 0; padding-top: 12px; }}
.ygt-main {{ flex: 1; min-width: 0; padding: 4px 8px; }}
.ygt-status {{ display: block; font-size: 16px; font-weight: 500; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; }}  /* one line, however many levers: the maps and charts stay in view */
.ygt-lever .v-card__title {{ font-size: 16px; line-height: 1.4; word-break: normal; padding: 8px 12px; }}
.ygt-legend {{ font-size: 14px; color: #444; line-height: 20px; margin: 2px 0 4px 0; }}
.ygt-legend svg {{ vertical-align: middle; }}
.ygt-table {{ border-collapse: collapse; font-size: 14px; margin-bottom: 8px; }}
.ygt-table th, .ygt-table td {{ border-bottom: 1px solid #e5e5e5; padding: 2px 8px; text-align: right;
  white-space: nowrap; }}
.ygt-table th:first-child, .ygt-table td:first-child {{ text-align: left; }}
"""


def browser_language() -> str:
    """zh or en, as the browser's languages ask: custom.js writes them in a cookie, since headless and some
    embedded browsers send no Accept-Language with the page's websocket; else that header."""
    cookie = (solara.lab.cookies.value or {}).get(LANGUAGE_COOKIE)
    header = (solara.lab.headers.value or {}).get("accept-language", [""])
    return language_for(urllib.parse.unquote(cookie) if cookie else header[0] if header else "")


@solara.component
def Page():
    language, set_language = solara.use_state(browser_language())
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
            with lock:
                if cancel.is_set():  # paused while waiting for the lock: not one more week
                    break
                room.step(1)
            set_version(lambda v: v + 1)
            time.sleep(PLAY_PAUSE_SECONDS)

    solara.use_thread(play, dependencies=[playing, room])

    def apply() -> None:
        try:
            with lock:
                year = room.set_levers(draft, package=draft_package)
        except ValueError as exc:
            set_message(say("not applied", language, error=exc))
            return
        set_message(say("levers from" if draft else "back to baseline", language, year=year))
        set_version(lambda v: v + 1)

    def choose_package(name: str) -> None:
        set_draft([dict(e) for e in shipped_package(name).interventions])
        set_draft_package(name)
        set_message(say("package loaded", language, name=name))

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
        maps = {twin: county_map(room, twin, language) for twin in TWINS}
        panels = chart_panels(room, language)
        followed = room.followed
        episodes = {twin: resident_rows(followed.episodes[twin][-8:], language) for twin in TWINS} if followed else {}
        person = room.person(BASELINE)
        facility = (facility_rows({twin: room.facility(twin, selected) for twin in TWINS}, language)
                    if selected is not None else None)
        week = room.weeks % WEEKS_PER_YEAR
        status = (say("status week", language, year=room.year, week=week + 1) if week
                  else say("status start", language, year=room.year))
        levers = (say("levers in force", language, year=room.periods[-1].start,
                      names=", ".join(e["type"] for e in room.levers))
                  if room.levers else say("no levers", language))

    sizes = {say("residents", language, n=n): n for n in SIZES.values()}
    solara.Title(say("title", language))
    solara.Style(STYLE.format(font=font_stylesheet()))
    with solara.Row(gap="0px", style={"align-items": "flex-start"}):
        with solara.Column(gap="4px", classes=["ygt-controls"]):
            with solara.Row(style={"align-items": "center", "justify-content": "space-between"}):
                solara.Text(say("title", language), style={"font-size": "16px", "font-weight": "bold"})
                with solara.ToggleButtonsSingle(value=language, on_value=set_language, classes=["ygt-language"]):
                    for code in LANGUAGES:
                        solara.Button(LANGUAGE_NAMES[code], value=code, small=True, text=True)
            solara.Markdown(say("intro", language), style={"font-size": "14px"})
            solara.Select(say("county size", language), values=list(sizes),
                          value=next(k for k, v in sizes.items() if v == size), on_value=lambda k: reset(sizes[k]))
            with solara.Row(gap="4px", style={"flex-wrap": "wrap"}):
                solara.Button(say("week", language), on_click=lambda: advance(1), disabled=playing,
                              classes=["ygt-step-week"], small=True)
                solara.Button(say("year", language),
                              on_click=lambda: advance(WEEKS_PER_YEAR - room.weeks % WEEKS_PER_YEAR),
                              disabled=playing, classes=["ygt-step-year"], small=True)
                solara.Button(say("pause" if playing else "play", language), on_click=lambda: set_playing(not playing),
                              color="primary", classes=["ygt-play"], small=True)
                solara.Button(say("reset", language), on_click=lambda: reset(), classes=["ygt-reset"], small=True)
            solara.Select(say("policy package", language), values=shipped_policies(), value=draft_package,
                          on_value=choose_package, classes=["ygt-package"])
            with solara.Row(gap="6px", style={"align-items": "center"}):
                solara.Select(say("add a lever", language), values=[spec.type for spec in lever_catalogue()],
                              value=None, classes=["ygt-add-lever"],
                              on_value=lambda t: t and set_draft([*draft, {"type": t, **lever(t).defaults()}])
                              ).key(f"add-a-lever-{len(draft)}")  # empty again once the lever is in the draft
                solara.Button(say("apply levers", language), on_click=apply, color="success", classes=["ygt-apply"])
            if message:
                solara.Info(message, dense=True)
            if draft:
                solara.Text(say("draft", language), style={"font-size": "13px", "color": "#555"})
            for i, entry in enumerate(draft):
                LeverCard(entry, language, on_entry=lambda e, i=i: set_draft([*draft[:i], e, *draft[i + 1:]]),
                          on_remove=lambda i=i: set_draft([*draft[:i], *draft[i + 1:]]))
            solara.FileDownload(export, filename="classroom-experiment.yaml", label=say("export", language))
            solara.Text(say("when levers act", language), style={"font-size": "13px", "color": "#555"})

        with solara.Column(gap="0px", classes=["ygt-main"]):
            county = say("county", language, population=room.region.population,
                         townships=len(room.region.township_names))
            solara.Text(f"{status} · {county} · {levers}", classes=["ygt-status"])
            _legend(language)
            with solara.Row(gap="8px", style={"flex-wrap": "wrap"}):
                for twin in TWINS:
                    CountyMap(**maps[twin], event_pick_village=follow, event_pick_facility=set_selected)
            solara.Div(style={"height": "6px"})
            TwinCharts(panels=panels)
            with solara.Row(gap="24px", style={"margin-top": "12px", "align-items": "flex-start"}):
                with solara.Column(gap="2px"):
                    solara.Text(say("resident heading", language), style={"font-weight": "bold"})
                    if followed:
                        conditions = ", ".join(say(c, language) for c in person["conditions"])
                        solara.Text(say("resident", language, id=followed.resident,
                                        age=say(person["age_band"], language),
                                        conditions=conditions or say("no chronic condition", language),
                                        insured=say("insured" if person["insured"] else "uninsured", language)))
                        for twin in TWINS:
                            solara.Text(say(f"{twin} twin", language), style={"font-weight": "bold"})
                            if episodes[twin]["rows"]:
                                _table(episodes[twin], "ygt-episodes")
                            else:
                                solara.Text(say("no episodes", language))
                with solara.Column(gap="2px"):
                    solara.Text(say("facility heading", language), style={"font-weight": "bold"})
                    if facility:
                        _table(facility, "ygt-facility-table")
