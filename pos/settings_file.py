"""What ``settings.json`` may hold, typed (pydantic), for ``pos.config.load``.

Why a module of its own: pydantic's import and the building of these schemas (which looks up
pydantic's plugins in every installed package's metadata) take a good part of a second on a
till's PC; ``pos.config`` is imported before the window's first paint, these only when the
settings are read, behind it.
"""

from __future__ import annotations

from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")


class PlainSettings(_Strict):
    """What ``settings.json`` may hold, typed: a hand-edited "abc" for a number or "false" (a
    string) for a yes/no is a named problem and the default is used, never a crash or a silent
    switch. Add a field here when you add one to ``AppConfig`` and ``_PLAIN``."""

    training: bool = True
    api_url: str = ""
    language: Literal["uk", "en"] = "uk"
    printer: str = ""
    paper_width_mm: Literal[58, 80] = 80
    sign_in_method: Literal["pin", "login"] = "pin"
    shop_name: str = ""
    shop_address: str = ""
    data: str | None = None


class ThresholdFile(_Strict):
    offline_warning_hours: float = Field(4.0, ge=0, le=36)
    month_warning_hours: float = Field(12.0, ge=0, le=168)
    shift_warning_minutes: float = Field(60.0, ge=0, le=24 * 60)
    codes_warning: int = Field(20, ge=0, le=5000)
    codes_low_water: int = Field(100, ge=0, le=5000)


M = TypeVar("M", bound=BaseModel)


def validated(model: type[M], raw: dict[str, Any], where: str, problems: list[str]) -> M:
    """``raw`` as ``model``; every bad field named in ``problems`` and left at its default."""
    values = dict(raw)
    for _ in range(len(model.model_fields) + 1):
        try:
            return model.model_validate(values)
        except ValidationError as error:
            for item in error.errors():
                name = str(item["loc"][0]) if item["loc"] else ""
                if name in values:
                    default = model.model_fields[name].default
                    problems.append(
                        f"{where}: {name} = {values.pop(name)!r} is not valid "
                        f"({item['msg']}); using {default!r}"
                    )
    return model()
