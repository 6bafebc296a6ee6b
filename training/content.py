"""The curriculum as files: load and validate programmes and modules once, render lesson sections."""
import hashlib
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

CONTENT = Path(__file__).with_name("content")
MODULE_FOLDER = re.compile(r"^(\d{2})-[a-z0-9-]+$")
PICTURE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)\)")
DEFAULT_LANGUAGE = "en"


class ContentError(Exception):
    """The content folder has problems; `problems` lists each with its file and reason."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Section:
    """One screen of a lesson: a heading and its Markdown body."""

    heading: str
    body: str


@dataclass(frozen=True)
class Module:
    """A module: its texts per language, pictures, sources and content version."""

    slug: str
    folder: Path
    order: int
    minutes: int
    languages: tuple[str, ...]
    title: dict[str, str]
    summary: dict[str, str]
    sources: tuple[dict, ...]
    version: str
    lessons: dict[str, tuple[Section, ...]] = field(repr=False)

    def text(self, texts: dict[str, str], language: str) -> str:
        """A text in the language, else in English."""
        return texts.get(language) or texts[DEFAULT_LANGUAGE]

    def lesson_language(self, language: str) -> str:
        """The language the lesson will be shown in: the one asked for, else English."""
        return language if language in self.lessons else DEFAULT_LANGUAGE

    def sections(self, language: str) -> tuple[Section, ...]:
        """The lesson's sections in the language (or English)."""
        return self.lessons[self.lesson_language(language)]

    def picture_description(self, filename: str, language: str) -> str:
        """How the lesson describes one of its pictures, in the language (or English); empty if it never shows it."""
        for lang in (self.lesson_language(language), DEFAULT_LANGUAGE):
            for section in self.lessons[lang]:
                if description := picture_description(section.body, filename):
                    return description
        return ""


@dataclass(frozen=True)
class Programme:
    """A programme: required modules, audiences, final assessment, skills checklist, validity."""

    slug: str
    title: dict[str, str]
    audiences: tuple[str, ...]
    modules: tuple[str, ...]
    final: dict
    skills_check: str
    validity_months: int
    skills: tuple[dict, ...]
    requires_any: tuple[str, ...] = ()

    def final_modules(self) -> tuple[str, ...]:
        """The modules whose banks the final assessment and pre-test draw from."""
        return tuple(self.final.get("modules") or self.modules)


@dataclass(frozen=True)
class Catalog:
    """Every programme and module, keyed by slug, modules in their order."""

    programmes: dict[str, Programme]
    modules: dict[str, Module]


def split_sections(markdown: str) -> tuple[Section, ...]:
    """Cut a lesson at its `## ` headings."""
    parts = re.split(r"^## +(.+)$", markdown, flags=re.MULTILINE)
    return tuple(Section(heading.strip(), body.strip()) for heading, body in zip(parts[1::2], parts[2::2], strict=True))


def picture_description(markdown: str, filename: str) -> str:
    """The alt text Markdown gives a picture file (`![text](file)`), or empty."""
    match = re.search(r"!\[([^\]]*)\]\(" + re.escape(filename) + r"\)", markdown)
    return match.group(1).strip() if match else ""


def folder_version(folder: Path) -> str:
    """A short hash of every file in a module folder: it changes whenever any of them does."""
    digest = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def read_yaml(path: Path, problems: list[str]) -> dict:
    """Parse a YAML mapping, noting the file and reason when it cannot be read."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        problems.append(f"{path}: cannot be read as YAML ({str(error).splitlines()[0]})")
        return {}
    if not isinstance(data, dict):
        problems.append(f"{path}: must be a mapping of keys to values")
        return {}
    return data


def check_texts(texts, languages, where: str, problems: list[str]) -> None:
    """Every required language must have a non-empty text."""
    if not isinstance(texts, dict):
        problems.append(f"{where}: must map each language to a text")
        return
    problems.extend(f"{where}: missing the '{lang}' text" for lang in languages if not texts.get(lang))


def load_lessons(folder: Path, languages: tuple[str, ...], problems: list[str]) -> dict[str, tuple[Section, ...]]:
    """Read every <lang>.md, checking languages, section counts and pictures."""
    lessons = {path.stem: split_sections(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.md"))}
    problems.extend(f"{folder}/{lang}.md: missing (the module requires '{lang}')" for lang in languages
                    if lang not in lessons)
    reference = lessons.get(DEFAULT_LANGUAGE, ())
    for lang, sections in lessons.items():
        where = f"{folder}/{lang}.md"
        if len(sections) < 2:
            problems.append(f"{where}: needs at least two '## ' sections (the last one is the key points)")
        elif len(sections) != len(reference):
            problems.append(f"{where}: has {len(sections)} sections but en.md has {len(reference)}")
        for section in sections:
            for _alt, picture in PICTURE.findall(section.body):
                if not (folder / picture).is_file() or "/" in picture:
                    problems.append(f"{where}: picture '{picture}' does not exist in the module folder")
    return lessons


def load_module(folder: Path, problems: list[str]) -> Module | None:
    """Load one module folder; note every problem and return None when it is unusable."""
    before = len(problems)
    meta = read_yaml(folder / "module.yaml", problems)
    if not meta:
        return None
    languages = tuple(meta.get("languages") or ())
    where = f"{folder}/module.yaml"
    if DEFAULT_LANGUAGE not in languages:
        problems.append(f"{where}: 'languages' must list '{DEFAULT_LANGUAGE}'")
    if not isinstance(meta.get("slug"), str) or not re.fullmatch(r"[a-z0-9-]+", meta["slug"]):
        problems.append(f"{where}: 'slug' must be lowercase letters, digits and dashes")
    if not isinstance(meta.get("minutes"), int) or not 5 <= meta["minutes"] <= 15:
        problems.append(f"{where}: 'minutes' must be a whole number from 5 to 15")
    for key in ("title", "summary"):
        check_texts(meta.get(key), languages, f"{where} {key}", problems)
    if not meta.get("sources"):
        problems.append(f"{where}: 'sources' must list the sources the module uses")
    lessons = load_lessons(folder, languages, problems)
    if len(problems) > before:
        return None
    return Module(
        slug=meta["slug"], folder=folder, order=int(MODULE_FOLDER.match(folder.name).group(1)),
        minutes=meta["minutes"], languages=languages, title=meta["title"], summary=meta["summary"],
        sources=tuple(meta["sources"]), version=folder_version(folder), lessons=lessons,
    )


def load_programmes(path: Path, modules: dict[str, Module], problems: list[str]) -> dict[str, Programme]:
    """Load programmes.yaml, checking every module, prerequisite and text it names."""
    programmes: dict[str, Programme] = {}
    for raw in read_yaml(path, problems).get("programmes", []):
        slug = raw.get("slug", "?")
        where = f"{path} programme '{slug}'"
        if slug in programmes:
            problems.append(f"{where}: duplicate slug")
        named = list(raw.get("modules") or []) + list((raw.get("final") or {}).get("modules") or [])
        problems.extend(f"{where}: unknown module '{m}'" for m in named if m not in modules)
        check_texts(raw.get("title"), ("en", "fr", "ru", "uk", "es", "ar"), f"{where} title", problems)
        for skill in raw.get("skills") or []:
            check_texts(skill.get("text"), ("en",), f"{where} skill '{skill.get('id')}'", problems)
        programmes[slug] = Programme(
            slug=slug, title=raw.get("title") or {}, audiences=tuple(raw.get("audiences") or ()),
            modules=tuple(raw.get("modules") or ()), final=dict(raw.get("final") or {}),
            skills_check=raw.get("skills_check", "in-person"), validity_months=int(raw.get("validity_months", 24)),
            skills=tuple(raw.get("skills") or ()), requires_any=tuple(raw.get("requires_any") or ()),
        )
    for programme in programmes.values():
        problems.extend(f"{path} programme '{programme.slug}': unknown prerequisite '{p}'"
                        for p in programme.requires_any if p not in programmes)
    return programmes


def read_catalog(root: Path) -> tuple[Catalog, list[str]]:
    """Read the whole content folder; return what loaded and every problem found."""
    problems: list[str] = []
    modules: dict[str, Module] = {}
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and MODULE_FOLDER.match(p.name)):
        module = load_module(folder, problems)
        if module and module.slug in modules:
            other = modules[module.slug].folder
            problems.append(f"{folder}/module.yaml: duplicate slug '{module.slug}' (also in {other})")
        elif module:
            modules[module.slug] = module
    programmes = load_programmes(root / "programmes.yaml", modules, problems)
    return Catalog(programmes=programmes, modules=modules), problems


def load_catalog(root: Path = CONTENT) -> Catalog:
    """Load the content, refusing it whole when anything is wrong."""
    catalog, problems = read_catalog(root)
    if problems:
        raise ContentError(problems)
    return catalog


@cache
def catalog() -> Catalog:
    """The site's content, loaded once per process."""
    return load_catalog()


def missing_translations(content: Catalog) -> dict[str, list[str]]:
    """For each interface language, the modules that fall back to English."""
    languages = ("en", "fr", "ru", "uk", "es", "ar")
    return {lang: [m.slug for m in content.modules.values() if lang not in m.lessons] for lang in languages}
