"""What learning in public asks of a journal: cadence, streaks, the calendar, status, maps, sharing."""
