"""The one base of every config schema: strict and immutable."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class StrictModel(BaseModel):
    """A config record: unknown keys are refused (warnings with the closest valid name
    come from :func:`briefgen.config.loading.validate` first) and values never change
    once validated."""

    model_config = ConfigDict(extra="forbid", frozen=True)
