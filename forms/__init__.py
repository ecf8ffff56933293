"""The outline engine: model, loader and checker, expressions, value kinds and validation.

Channels (web form, Excel template and upload, import) all go through `validate`.
"""

from forms.errors import Code, OutlineError, OutlineProblem
from forms.library import find_outline, outlines_dir, shipped_outlines
from forms.loader import check_outline, computed_order, load_outline
from forms.model import Choice, Column, Item, Outline, Period, Rule, Target
from forms.validate import Issue, Result, from_json, to_json, validate

__all__ = [
    "Choice",
    "Code",
    "Column",
    "Issue",
    "Item",
    "Outline",
    "OutlineError",
    "OutlineProblem",
    "Period",
    "Result",
    "Rule",
    "Target",
    "check_outline",
    "computed_order",
    "find_outline",
    "from_json",
    "load_outline",
    "outlines_dir",
    "shipped_outlines",
    "to_json",
    "validate",
]
