"""The repetition family's name and settings (``[settings.repetition]`` in the configuration)."""

from __future__ import annotations

from dataclasses import dataclass

from ... import settings

FAMILY = "repetition"


@settings.register("repetition")
@dataclass(frozen=True, slots=True)
class RepetitionSettings:
    """Knobs of the repetition family (``[settings.repetition]`` in the configuration)."""

    max_gap: int = settings.knob(8, "tokens allowed between the two copies of a repeated list item; tuned on injected repeats (BBC train split)")
    max_loop_gap: int = settings.knob(5, "tokens allowed between the copies of a loop spliced into running text; tuned on injected loops (BBC train split)")
    max_sentence_distance: int = settings.knob(2, "a repeated phrase is looked for up to N sentences later; further apart it is style, not a loop")
