"""The `publog` command and what its commands write: new journals and entries."""
