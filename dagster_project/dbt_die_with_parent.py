#!/usr/bin/env python3
"""dbt, ending with the process that started it: the dbt executable dagster-dbt runs during a
build (dagster_project/defs/dbt.py). Asks Linux to kill this process when its parent ends
(prctl PR_SET_PDEATHSIG; kept across exec), then becomes the real dbt (BUDGET_DBT_EXECUTABLE).
A killed pipeline process leaves no dbt behind. Standard library only: any python3 runs it."""
import ctypes
import os
import shutil
import signal
import sys

real = os.environ.get("BUDGET_DBT_EXECUTABLE") or shutil.which("dbt")
if not real:
    sys.exit("dbt_die_with_parent: BUDGET_DBT_EXECUTABLE is not set and no dbt is on PATH")
if sys.platform.startswith("linux"):
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL), 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    parent = os.environ.get("BUDGET_DBT_PARENT")
    if parent and os.getppid() != int(parent):  # the parent ended before the request was made
        sys.exit(1)
os.execv(real, [real, *sys.argv[1:]])
