"""The pure fiscal arithmetic of the shop: money, quantities, taxes, discounts, cash rounding,
receipt rules, report totals and offline-time limits.

Nothing here does I/O or imports Qt or any other part of the project, so the POS, its reports and
the embedded sandbox all compute the same kopecks from the same code.
"""
