"""Import and export of the directory: CSV, vCard 4, HSDS 3 (Open Referral) and print.

One job per module: :mod:`columns` defines the four CSV sheets; :mod:`csv_read` parses uploads
into checked cells (pure); :mod:`catalog` loads what rows may refer to; :mod:`csv_import` plans
an import (every row validated, counts per outcome) and commits it all or nothing;
:mod:`csv_apply` writes a plan; :mod:`csv_export` writes the same sheets; :mod:`vcard`,
:mod:`hsds` and :mod:`kaart` build the other formats; :mod:`visibility` decides what a viewer
may see; :mod:`bulk` reads tasks in bulk; :mod:`staging` keeps uploads between preview and
confirmation; :mod:`cli` is ``flask directory import-csv``.
"""
