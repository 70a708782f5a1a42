"""Backups of the whole database and their restore (manage.py backup, restore)."""
