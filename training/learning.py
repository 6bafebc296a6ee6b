"""Decisions about learning, without requests: what suits a person, progress figures, the next step."""
from dataclasses import dataclass

from training.content import Catalog, Module, Programme
from training.models import ModuleProgress, utcnow

MAX_SECONDS_PER_SECTION = 15 * 60  # a page left open over lunch is not 2 hours of study


@dataclass(frozen=True)
class ProgrammeView:
    """A programme with how far one person is through it."""

    programme: Programme
    modules: list[tuple[Module, ModuleProgress | None]]
    completed: int
    next_module: Module | None


def suited_programmes(content: Catalog, audience: str | None) -> list[Programme]:
    """Programmes for this audience first, then the others; everyone may take any programme."""
    programmes = list(content.programmes.values())
    return sorted(programmes, key=lambda p: (audience is not None and audience not in p.audiences))


def programme_view(programme: Programme, content: Catalog, progress: dict[str, ModuleProgress]) -> ProgrammeView:
    """Progress through a programme and the first module still to do."""
    modules = [(content.modules[slug], progress.get(slug)) for slug in programme.modules]
    done = [m for m, p in modules if p and p.completed_at]
    todo = next((m for m, p in modules if not (p and p.completed_at)), None)
    return ProgrammeView(programme, modules, len(done), todo)


def section_fraction(progress: ModuleProgress | None, total: int) -> tuple[int, int]:
    """Sections read and sections in all, for a module's progress bar."""
    return (min(progress.sections_read, total) if progress else 0), total


def record_reading(progress: ModuleProgress, number: int, seconds: int) -> None:
    """Note that section `number` was read, with approximate time spent, and move the resume point on."""
    now = utcnow()
    progress.sections_read = max(progress.sections_read, number)
    progress.last_section = min(number + 1, progress.sections_total)
    progress.seconds_spent += max(0, min(seconds, MAX_SECONDS_PER_SECTION))
    if progress.sections_read >= progress.sections_total and progress.read_at is None:
        progress.read_at = now
    progress.complete_if_done(now)
