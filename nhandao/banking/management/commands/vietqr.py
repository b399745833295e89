"""Print a VietQR payload and write its image: manage.py vietqr --bin 970436 --account 0011001234567."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from nhandao.banking import banks, qrimage, vietqr


class Command(BaseCommand):
    help = "In chuỗi VietQR (chuẩn NAPAS) cho một tài khoản và ghi ảnh PNG (tùy chọn)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--bin", required=True, help="Mã BIN NAPAS của ngân hàng (6 chữ số), ví dụ 970436."
        )
        parser.add_argument("--account", required=True, help="Số tài khoản nhận.")
        parser.add_argument("--amount", type=int, help="Số tiền (đồng); có số tiền thì là mã động.")
        parser.add_argument(
            "--purpose", default="", help="Nội dung chuyển khoản (tối đa 25 ký tự không dấu)."
        )
        parser.add_argument("--bill", default="", help="Số hóa đơn / mã tham chiếu (tối đa 25 ký tự).")
        parser.add_argument("--holder", default="", help="Chủ tài khoản, in dưới ảnh.")
        parser.add_argument("--png", help="Ghi ảnh PNG (có chữ dưới mã) vào tệp này.")

    def handle(self, *args, **options):
        try:
            payload = vietqr.build(
                bin=options["bin"],
                account=options["account"],
                amount=options["amount"],
                purpose=options["purpose"],
                bill=options["bill"],
            )
        except vietqr.VietQRError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(payload)
        if options["png"]:
            bank = banks.by_bin(options["bin"])
            caption = qrimage.Caption(
                bank_name=bank.short_name if bank else options["bin"],
                account_number=options["account"],
                account_holder=options["holder"],
                purpose=vietqr.ascii_text(options["purpose"]),
                amount=options["amount"],
            )
            Path(options["png"]).write_bytes(qrimage.poster_png(payload, caption))
            self.stderr.write(f"Đã ghi ảnh {options['png']}")
