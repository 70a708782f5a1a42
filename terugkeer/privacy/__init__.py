"""Privacy: retention, the subject access export (GDPR art. 15) and reading the audit log.

It sits above the audit log (terugkeer.audit), which writes rows and imports nothing of the
dossiers; everything that needs the dossiers' models to read or erase personal data is here.
"""
