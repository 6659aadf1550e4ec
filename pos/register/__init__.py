"""The fiscal core: the register's connectivity state machine, offline code pool, fiscal clock,
upload worker and shift lifecycle — the one service the window calls.

The pure parts (state machine, limits) have no Qt and no I/O; the service that drives them owns the
asyncio tasks, the Checkbox client and the journal.
"""
