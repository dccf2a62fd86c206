"""Load and validate a gold question file (``eval/gold.jsonl`` or any ``--gold`` file).

One JSON object per line (format in the project contract). Required: ``id``,
``question``, ``answerable``; ``must_include``, ``sources``, ``relevant``,
``category``, ``reference`` and ``history`` are optional with empty defaults;
``short_answer`` (the expected short-answer variants; ``[]``: none applies; absent: None)
and ``split`` (``dev`` or ``test``: which half of a split gold set the item belongs to) too.
Unknown fields are ignored. Every problem is reported with its line number.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from ..errors import AssistantError

DEFAULT_CATEGORY = "uncategorized"
SPLITS = {"dev", "test"}


class GoldFormatError(AssistantError, ValueError):
    """The gold file cannot be used as given; the message names the file and line."""


@dataclass(frozen=True)
class GoldItem:
    """One gold question and what a correct answer must contain and cite."""

    id: str
    question: str
    answerable: bool
    category: str = DEFAULT_CATEGORY
    must_include: list[list[str]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    relevant: list[str] = field(default_factory=list)
    reference: str | None = None
    history: list[tuple[str, str]] = field(default_factory=list)
    short_answer: list[str] | None = None
    split: str | None = None
    line: int = 0

    @property
    def allowed_sources(self) -> set[str]:
        """Articles a correct answer may cite: ``relevant`` plus ``sources``."""
        return set(self.relevant) | set(self.sources)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["history"] = [list(turn) for turn in self.history]
        return data


def _is_str_list(value) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def parse_gold_item(data: object, where: str) -> GoldItem:
    """Validate one decoded JSON object; ``where`` ("gold.jsonl line 3") prefixes errors."""
    if not isinstance(data, dict):
        raise GoldFormatError(f"{where}: expected a JSON object, got {type(data).__name__}")

    def need(key: str, kind: type, kind_name: str):
        if key not in data:
            raise GoldFormatError(f"{where}: missing required field '{key}'")
        value = data[key]
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            raise GoldFormatError(f"{where}: field '{key}' must be {kind_name}, got {value!r}")
        return value

    item_id = need("id", str, "a string")
    if not item_id.strip():
        raise GoldFormatError(f"{where}: field 'id' is empty")
    where = f"{where} (id {item_id})"
    question = need("question", str, "a string")
    if not question.strip():
        raise GoldFormatError(f"{where}: field 'question' is empty")
    answerable = need("answerable", bool, "true or false")

    category = data.get("category", DEFAULT_CATEGORY)
    if not isinstance(category, str) or not category.strip():
        raise GoldFormatError(f"{where}: field 'category' must be a non-empty string, got {category!r}")

    must = data.get("must_include", [])
    if not isinstance(must, list):
        raise GoldFormatError(f"{where}: field 'must_include' must be a list of lists of strings")
    groups: list[list[str]] = []
    for i, group in enumerate(must):
        if isinstance(group, str):  # a lone phrase is a one-variant group
            group = [group]
        if not _is_str_list(group) or not group or not all(v.strip() for v in group):
            raise GoldFormatError(
                f"{where}: must_include group {i} must be a non-empty list of non-empty strings, got {group!r}")
        groups.append(list(group))

    lists: dict[str, list[str]] = {}
    for key in ("sources", "relevant"):
        value = data.get(key, [])
        if not _is_str_list(value):
            raise GoldFormatError(f"{where}: field '{key}' must be a list of strings, got {value!r}")
        lists[key] = list(value)

    reference = data.get("reference")
    if reference is not None and not isinstance(reference, str):
        raise GoldFormatError(f"{where}: field 'reference' must be a string, got {reference!r}")

    history_raw = data.get("history") or []
    if not isinstance(history_raw, list):
        raise GoldFormatError(f"{where}: field 'history' must be a list of [question, answer] pairs")
    history: list[tuple[str, str]] = []
    for i, turn in enumerate(history_raw):
        if not (isinstance(turn, (list, tuple)) and len(turn) == 2 and all(isinstance(t, str) for t in turn)):
            raise GoldFormatError(f"{where}: history turn {i} must be a [question, answer] pair of strings, got {turn!r}")
        history.append((turn[0], turn[1]))

    short = data.get("short_answer")
    if short is not None and (not _is_str_list(short) or not all(v.strip() for v in short)):
        raise GoldFormatError(f"{where}: field 'short_answer' must be a list of non-empty strings, got {short!r}")
    if short and not answerable:
        raise GoldFormatError(f"{where}: an unanswerable question cannot have a 'short_answer'")
    split = data.get("split")
    if split is not None and split not in SPLITS:
        raise GoldFormatError(f"{where}: field 'split' must be one of {sorted(SPLITS)}, got {split!r}")

    if not answerable and (groups or lists["sources"]):
        raise GoldFormatError(f"{where}: an unanswerable question must have empty 'must_include' and 'sources'")

    return GoldItem(
        id=item_id, question=question, answerable=answerable, category=category.strip(),
        must_include=groups, sources=lists["sources"], relevant=lists["relevant"],
        reference=reference, history=history,
        short_answer=None if short is None else list(short), split=split,
    )


def load_gold(path: str | Path) -> list[GoldItem]:
    """Read a gold JSONL file; blank lines are skipped, ids must be unique."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise GoldFormatError(f"Gold file not found: {path}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldFormatError(f"Gold file {path} cannot be read: {exc}") from exc

    items: list[GoldItem] = []
    seen: dict[str, int] = {}
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path} line {lineno}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise GoldFormatError(f"{where}: invalid JSON ({exc.msg} at column {exc.colno})") from exc
        item = parse_gold_item(data, where)
        if item.id in seen:
            raise GoldFormatError(f"{where}: duplicate id '{item.id}' (first on line {seen[item.id]})")
        seen[item.id] = lineno
        items.append(replace(item, line=lineno))
    if not items:
        raise GoldFormatError(f"Gold file {path} has no questions")
    return items

