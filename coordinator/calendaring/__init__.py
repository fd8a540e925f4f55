"""Pure iCalendar and iMIP building (no Flask imports)."""
