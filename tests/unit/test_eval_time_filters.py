"""Gold items may carry as_of / since / until / outlets; the runner passes them to answer()."""

from __future__ import annotations

import json
from types import SimpleNamespace

from assistant.evaluation.runner import _raw_records, time_filters


def test_gold_filters_become_answer_keywords(tmp_path):
    gold = tmp_path / "gold.jsonl"
    rows = [{"id": "a", "question": "q", "answerable": True, "as_of": "2024-06-08"},
            {"id": "b", "question": "q", "answerable": True, "since": "2024-01-01", "until": "2024-03-31",
             "outlets": ["Valley Post"], "as_of": "2024-06-08"},
            {"id": "c", "question": "q", "answerable": True, "outlets": "Daily"},
            {"id": "d", "question": "q", "answerable": True}]
    gold.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    raw = _raw_records(gold)
    item = lambda i: SimpleNamespace(id=i)  # noqa: E731  (the loader keeps no filter fields)
    assert time_filters(item("a"), raw.get("a")) == {"until": "2024-06-08"}
    assert time_filters(item("b"), raw.get("b")) == {"since": "2024-01-01", "until": "2024-03-31",
                                                     "outlets": ["Valley Post"]}
    assert time_filters(item("c"), raw.get("c")) == {"outlets": ["Daily"]}
    assert time_filters(item("d"), raw.get("d")) == {}  # plain items call answer() as before
