from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("discussion", "0006_held_code"),
    ]

    operations = [
        migrations.AddField(
            model_name="post",
            name="language",
            field=models.CharField(blank=True, default="", editable=False, max_length=15),
        ),
    ]
