"""The weekly plan: ranking (pure), placement (pure), and the week (gather, decide, write)."""
