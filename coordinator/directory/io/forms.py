"""Forms for the import page: four optional CSV uploads, and the confirmation."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileSize
from wtforms import HiddenField
from wtforms.validators import DataRequired

from coordinator.directory.io.columns import Sheet

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def _file(label: object) -> FileField:
    return FileField(
        label,
        validators=[
            FileAllowed(["csv", "txt"], _l("Kies een CSV-bestand (.csv).")),
            FileSize(MAX_UPLOAD_BYTES, message=_l("Het bestand is groter dan 20 MB.")),
        ],
    )


class ImportForm(FlaskForm):
    organisaties = _file(_l("Organisaties"))
    functies = _file(_l("Functies"))
    personen = _file(_l("Personen"))
    taken = _file(_l("Taken (doet wel / doet niet)"))

    def uploaded(self) -> dict[Sheet, bytes]:
        """The chosen files' bytes by sheet (empty fields left out)."""
        files: dict[Sheet, bytes] = {}
        for sheet in Sheet:
            storage = getattr(self, sheet.value).data
            if storage and getattr(storage, "filename", ""):
                files[sheet] = storage.read()
        return files


class ConfirmImportForm(FlaskForm):
    token = HiddenField(validators=[DataRequired()])
