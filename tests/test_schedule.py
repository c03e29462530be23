"""The schedule diagram (``figures/schedule.py``) is drawn from the model's loop: every stage in order, and in
each the processes that act in it, in loop order, so the diagram follows any change to the loop."""

from ygt_abm.figures import style
from ygt_abm.figures.schedule import STAGE_WORDS, schedule_figure
from ygt_abm.processes import STAGES, Loop, default_processes
from ygt_abm.processes.base import Process


def _columns(fig) -> dict[str, list[str]]:
    """Each stage's header and the process names drawn under it, left to right and top to bottom."""
    texts = style.drawn_texts(fig)
    headers = {t.get_text(): t.get_position() for t in texts if t.get_text() in STAGE_WORDS.values()}
    columns: dict[str, list[tuple[float, str]]] = {h: [] for h in headers}
    for t in texts:
        x, y = t.get_position()
        for header, (hx, hy) in headers.items():
            if abs(x - hx) < 1e-9 and 0 < y < hy:  # inside the stage's box, below its header
                columns[header].append((-y, t.get_text()))
    return {h: [name for _, name in sorted(c)] for h, c in columns.items()}


def test_every_stage_shows_its_processes_in_loop_order():
    loop = Loop(default_processes())
    columns = _columns(schedule_figure(loop))
    assert list(columns) == [STAGE_WORDS[s] for s in STAGES]
    for stage in STAGES:
        assert columns[STAGE_WORDS[stage]] == [p.name for p in loop.by_stage[stage]], stage


def test_a_process_added_to_the_loop_appears_in_its_stages():
    class Outreach(Process):
        name = "outreach"

        def end_week(self, model, week):
            pass

    loop = Loop([*default_processes(), Outreach()])
    columns = _columns(schedule_figure(loop))
    assert columns[STAGE_WORDS["end_week"]][-1] == "outreach"
    assert all("outreach" not in names for header, names in columns.items() if header != STAGE_WORDS["end_week"])
