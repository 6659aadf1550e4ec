"""Customer orders: advances fiscalised as Checkbox prepayment chains, `cashItems` for payment
links, prepayments in MoySklad's shape, and the `pos order` commands."""
