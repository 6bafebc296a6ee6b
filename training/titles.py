"""What pages call programmes and quizzes, in the reader's language."""
from flask_babel import gettext as _

from training.content import catalog


def programme_title(slug: str, language: str) -> str:
    """A programme's title in the language, else English, else its slug."""
    programme = catalog().programmes.get(slug)
    return (programme.title.get(language) or programme.title["en"]) if programme else slug


def quiz_title(kind: str, target: str, language: str) -> str:
    """A quiz's name: the module's title, or the programme's, with the kind of test for a pre-test or final."""
    if kind == "module":
        module = catalog().modules.get(target)
        return module.text(module.title, language) if module else target
    name = programme_title(target, language)
    if kind == "pre":
        return _("Pre-test: %(programme)s", programme=name)
    if kind == "final":
        return _("Final assessment: %(programme)s", programme=name)
    return name
