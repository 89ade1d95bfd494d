"""The demo province: its reference data (`data`) and the idempotent loading (`loading`)."""
