"""The things focusblock is about, one frozen type each, passed through every layer.

The store maps its rows to these types at its edge, the planner and the worksheet take
and return them, the calendar code writes them, and the command line prints them. A
layer that truly adds facts wraps one of these (the plan's block, the worksheet's
remark) instead of copying its fields into a new type. This module imports nothing
from the layers, so every layer may import it.
"""

from __future__ import annotations

# --- remarks: what the customer said ---------------------------------------------------

# --- calls and focus blocks: the calendar side ------------------------------------------

# --- accounts left out of a plan ---------------------------------------------------------
