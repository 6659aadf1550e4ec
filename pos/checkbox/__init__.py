"""The Checkbox PRRO client: the only code that talks to Checkbox.

Async (httpx), typed (pydantic models with the API's field names), rate-limited on our side,
and exactly-once for everything that creates a fiscal object. Imports nothing of the project
but ``pos.__version__``/``pos.CLIENT_NAME``.
"""

from pos.checkbox.client import CheckboxClient
from pos.checkbox.errors import AmbiguousOutcome, CheckboxError
from pos.checkbox.retry import RetryPolicy
from pos.checkbox.session import MemoryTokenStore, PasswordSignIn, PinSignIn, Session, TokenStore

__all__ = [
    "AmbiguousOutcome",
    "CheckboxClient",
    "CheckboxError",
    "MemoryTokenStore",
    "PasswordSignIn",
    "PinSignIn",
    "RetryPolicy",
    "Session",
    "TokenStore",
]
