"""Import and export of the directory: CSV, vCard 4, HSDS 3 (Open Referral) and print.

Each module has one job: :mod:`columns` defines the CSV sheets, :mod:`csv_read` parses and
validates uploads (pure), :mod:`csv_import` plans and applies an import against the database,
:mod:`csv_export` writes the same sheets, :mod:`vcard` and :mod:`hsds` build the other formats.
"""
