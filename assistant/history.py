"""Earlier turns of a conversation, checked once for every way in (library, chat, HTTP).

A history is a list of (question, answer) pairs. Callers hand over whatever they were
given (a list of pairs or lists, a JSON text of one, None); this turns it into a History
or fails with an InvalidQuestionError a user can act on — never a TypeError deep inside.
"""

from __future__ import annotations

import json

from .errors import InvalidQuestionError
from .types import History

_SHAPE = "The history must be a list of [question, answer] pairs"


def parse_history(history: object) -> History:
    """Earlier turns as (question, answer) pairs, from a list of pairs or its JSON text."""
    if history is None or history == "":
        return []
    if isinstance(history, str):
        try:
            history = json.loads(history)
        except json.JSONDecodeError as exc:
            raise InvalidQuestionError(f"{_SHAPE} (as JSON: {exc.msg}).") from exc
    if isinstance(history, (str, bytes, bytearray, dict)):
        raise InvalidQuestionError(f"{_SHAPE}.")
    try:
        turns = list(history)  # type: ignore[call-overload]
        if any(isinstance(t, (str, bytes, bytearray, dict)) for t in turns):
            raise TypeError("text where a pair was expected")
        return [(str(q), str(a)) for q, a in turns]
    except (TypeError, ValueError) as exc:
        raise InvalidQuestionError(f"{_SHAPE}.") from exc
