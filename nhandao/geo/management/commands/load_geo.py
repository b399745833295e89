from django.core.management.base import BaseCommand

from nhandao.geo import loader


class Command(BaseCommand):
    help = "Nạp danh mục đơn vị hành chính (hiện hành và trước 01/07/2025) từ dữ liệu kèm theo; chạy lại không tạo trùng."

    def handle(self, *args, **options):
        counts = loader.load()
        for key, value in counts.items():
            self.stdout.write(f"{key}: {value:,}".replace(",", "."))
