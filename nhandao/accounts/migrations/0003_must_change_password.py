from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_session_epoch")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="must_change_password",
            field=models.BooleanField(
                default=False, editable=False, verbose_name="phải đổi mật khẩu khi đăng nhập"
            ),
        ),
    ]
