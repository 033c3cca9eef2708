"""Bytes -> the output folder, all or nothing; and knowing when nothing changed."""
