"""The web channel: units fill outlines in the browser, coordinators follow and review rounds.

An adapter over the engine: `formbuilder` turns an outline into WTForms fields and a POST back
into the raw values `store.intake.submit_values` validates; no outline logic lives in views.
"""

from webapp.app import create_app

__all__ = ["create_app"]
