"""``python manage.py second_factor USERNAME``: enrol (or reset) a staff member's authenticator.

The administrator's recovery path for a lost phone: every device of the user is deleted and a
new TOTP device is created; the command prints the otpauth:// URI and a QR code (SVG file with
``--qr FILE``) to scan. ``--remove`` only deletes the devices.
"""

from __future__ import annotations

import segno
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp import devices_for_user
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Enrol or reset a user's TOTP authenticator (second factor)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--remove", action="store_true", help="delete the devices, enrol none")
        parser.add_argument("--qr", metavar="FILE", help="also write the QR code as an SVG file")

    def handle(self, username, remove=False, qr=None, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username!r}")
        with transaction.atomic():
            for device in list(devices_for_user(user, confirmed=None)):
                device.delete()
            if remove:
                self.stdout.write(f"second factor removed for {username}")
                return
            device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
        self.stdout.write(device.config_url)
        if qr:
            segno.make(device.config_url).save(qr, kind="svg", scale=4)
            self.stdout.write(f"QR code written to {qr}")
