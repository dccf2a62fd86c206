"""A one-shot read command (`ask`, `status`) collects garbage rarely and freezes the heap at exit."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_one_shot_commands_raise_the_collection_threshold_and_freeze_at_exit():
    code = textwrap.dedent("""
        import atexit, gc
        from assistant import cli
        registered = []
        atexit.register = registered.append
        default = gc.get_threshold()
        cli._one_shot_gc()
        assert gc.get_threshold() == (cli._ONE_SHOT_GC_THRESHOLD, *default[1:]), gc.get_threshold()
        assert gc.isenabled() and registered == [gc.freeze]
        print("ok")
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "ok"
