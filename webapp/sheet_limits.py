"""The bounds of an imported spreadsheet, as the settings give them."""

from flask import current_app

from workflows.services.registry.bounds import SheetLimits


def sheet_limits() -> SheetLimits:
    config = current_app.config
    defaults = SheetLimits()
    return SheetLimits(
        max_unpacked_mb=config.get("SHEET_MAX_UNPACKED_MB", defaults.max_unpacked_mb),
        max_entries=config.get("SHEET_MAX_ENTRIES", defaults.max_entries),
        max_ratio=config.get("SHEET_MAX_RATIO", defaults.max_ratio),
        max_rows=config.get("SHEET_MAX_ROWS", defaults.max_rows),
        max_cells=config.get("SHEET_MAX_CELLS", defaults.max_cells),
    )
