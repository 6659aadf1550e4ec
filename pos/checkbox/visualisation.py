"""Receipt and report renderings: text, HTML, PNG and QR, as the server draws them.

Why separate from the JSON endpoints: these answer text or bytes, not JSON, and share their own
rate limit (≤ 1 per second per register; 3 per second on one receipt blocks it for 10 s). A
receipt that is not DONE yet answers 400 "Візуалізація не фіскалізованого чеку неможлива…"
(``NotFiscalisedYet``): wait for the receipt first (``exactly_once.wait_receipt``).
"""

from __future__ import annotations

from datetime import datetime

import httpx

from pos.checkbox.ratelimit import Limit
from pos.checkbox.transport import CheckboxTransport


class VisualisationFetchers(CheckboxTransport):
    """GET /receipts/{id}/text|html|png|qrcode, /reports/{id}/text|png, /reports/periodical."""

    async def _render(
        self, path: str, params: dict[str, str | int | bool], accept: str
    ) -> httpx.Response:
        response: httpx.Response = await self.call(
            "GET",
            path,
            params=params,
            limit=Limit.VISUALISATION,
            safe=True,
            raw=True,
            accept=accept,
        )
        return response

    async def receipt_text(self, receipt_id: str, width: int | None = None) -> str:
        params: dict[str, str | int | bool] = {"width": width} if width else {}
        return (await self._render(f"/receipts/{receipt_id}/text", params, "text/plain")).text

    async def receipt_html(self, receipt_id: str, simple: bool = False) -> str:
        response = await self._render(
            f"/receipts/{receipt_id}/html", {"simple": simple}, "text/html"
        )
        return response.text

    async def receipt_png(
        self,
        receipt_id: str,
        width: int | None = None,
        paper_width: int | None = None,
        qrcode_scale: int | None = None,
    ) -> bytes:
        params = _present(width=width, paper_width=paper_width, qrcode_scale=qrcode_scale)
        return (await self._render(f"/receipts/{receipt_id}/png", params, "*/*")).content

    async def receipt_qrcode(self, receipt_id: str) -> bytes:
        return (await self._render(f"/receipts/{receipt_id}/qrcode", {}, "*/*")).content

    async def report_text(self, report_id: str, width: int | None = None) -> str:
        params: dict[str, str | int | bool] = {"width": width} if width else {}
        return (await self._render(f"/reports/{report_id}/text", params, "text/plain")).text

    async def report_png(
        self, report_id: str, width: int | None = None, paper_width: int | None = None
    ) -> bytes:
        params = _present(width=width, paper_width=paper_width)
        return (await self._render(f"/reports/{report_id}/png", params, "*/*")).content

    async def periodical_report(
        self,
        from_date: datetime,
        to_date: datetime,
        width: int | None = None,
        is_short: bool = False,
    ) -> str:
        """The periodical report (text only), over Z reports between the two dates."""
        params: dict[str, str | int | bool] = {
            "from_date": from_date.isoformat(),
            "to_date": to_date.isoformat(),
            "is_short": is_short,
        }
        if width:
            params["width"] = width
        return (await self._render("/reports/periodical", params, "text/plain")).text


def _present(**values: int | None) -> dict[str, str | int | bool]:
    return {name: value for name, value in values.items() if value is not None}
