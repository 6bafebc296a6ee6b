"""Decisions about learning, without requests: what suits a person, progress figures, the next step."""
from dataclasses import dataclass

from training.content import Catalog, Module, Programme
from training.models import ModuleProgress, utcnow

MAX_SECONDS_PER_SECTION = 15 * 60  # a page left open over lunch is not 2 hours of study


@dataclass(frozen=True)
class ModuleRow:
    """One module as the dashboard lists it."""

    module: Module
    title: str
    status: str  # not-started | in-progress | completed
    percent: int  # sections read
    only_left: str | None = None  # in progress with one thing left to finish: "quiz" or "reading"


@dataclass(frozen=True)
class ProgrammeView:
    """A programme with how far one person is through it."""

    programme: Programme
    rows: list[ModuleRow]
    completed: int
    next_row: ModuleRow | None  # the first module not completed

    @property
    def percent(self) -> int:
        """Share of the programme's modules completed."""
        return round(100 * self.completed / len(self.rows)) if self.rows else 0

    @property
    def started(self) -> bool:
        """Whether any module has been begun: then the pre-test, which measures what people knew before, is over."""
        return any(row.status != "not-started" for row in self.rows)


def suited_programmes(content: Catalog, audience: str | None) -> list[Programme]:
    """Programmes for this audience first, then the others; everyone may take any programme."""
    programmes = list(content.programmes.values())
    return sorted(programmes, key=lambda p: (audience is not None and audience not in p.audiences))


def module_row(module: Module, progress: ModuleProgress | None, language: str) -> ModuleRow:
    """A module's title, status and the share of its sections read."""
    title = module.text(module.title, language)
    if progress is None:
        return ModuleRow(module, title, "not-started", 0)
    total = progress.sections_total or 1
    only_left = None
    if progress.status == "in-progress" and bool(progress.read_at) != bool(progress.quiz_passed_at):
        only_left = "quiz" if progress.read_at else "reading"
    return ModuleRow(module, title, progress.status, round(100 * min(progress.sections_read, total) / total),
                     only_left)


def programme_view(
    programme: Programme, content: Catalog, progress: dict[str, ModuleProgress], language: str
) -> ProgrammeView:
    """Progress through a programme and the first module still to do."""
    rows = [module_row(content.modules[slug], progress.get(slug), language) for slug in programme.modules]
    todo = next((row for row in rows if row.status != "completed"), None)
    return ProgrammeView(programme, rows, sum(row.status == "completed" for row in rows), todo)


def record_reading(progress: ModuleProgress, number: int, seconds: int) -> bool:
    """Note that section `number` was read (with approximate time spent); True when that completed the module."""
    now = utcnow()
    progress.sections_read = max(progress.sections_read, number)
    progress.last_section = min(number + 1, progress.sections_total)
    progress.seconds_spent += max(0, min(seconds, MAX_SECONDS_PER_SECTION))
    if progress.sections_read >= progress.sections_total and progress.read_at is None:
        progress.read_at = now
    return progress.complete_if_done(now)
