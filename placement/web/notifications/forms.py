"""The form of the notifications area: how notifications come by e-mail."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField

from placement.web.fields import choices
from placement.web.form_base import BaseForm

MAIL_CHOICES = {
    "each": _l("An e-mail for each notification"),
    "daily": _l("One e-mail a day with all new notifications"),
    "none": _l("No e-mails; I look here"),
}


class MailChoiceForm(BaseForm):
    notify_mail = RadioField(_l("E-mails about notifications"), choices=choices(MAIL_CHOICES))
