"""What callers send: the input models, their validation, ID numbers, and masking.

Bad input raises :class:`~lnunemp_rules.errors.InputError` naming the field, never a wrong
decision; personal data is masked wherever it would be shown (standard 4.3.1).
"""

from __future__ import annotations

from .idnumber import IdNumberInfo, ParsedIdNumber, make_id_number, parse_id_number
from .masking import mask_id_number, mask_name, mask_text
from .models import Registrant, RegistrationApplication, id_info
from .validation import as_date, validate_input

__all__ = [
    "IdNumberInfo",
    "ParsedIdNumber",
    "Registrant",
    "RegistrationApplication",
    "as_date",
    "id_info",
    "make_id_number",
    "mask_id_number",
    "mask_name",
    "mask_text",
    "parse_id_number",
    "validate_input",
]
