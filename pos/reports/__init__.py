"""Manager reports over the journal: receipts history, shifts, the periodical report and sales.

Everything here is SQLAlchemy Core on a ``Connection`` the caller gives (no Qt, no ORM objects), so
the same queries can later answer from a back-office database holding the same tables.
"""
