"""The pure rules of notice 004 and its siblings: functions of plain values, no database."""
