"""The document types the supplier starts with (F22: data, editable later)."""

from django.db import migrations

TYPES = [
    # code, name, English name, financial
    ("invoice", "Счёт на оплату", "Invoice", False),
    ("waybill", "Товарная накладная (ТОРГ-12)", "Waybill", False),
    ("upd", "УПД", "Universal transfer document", False),
    ("invoice_factura", "Счёт-фактура", "VAT invoice", False),
    ("cancelled_items", "Список отменённых позиций", "Cancelled items", False),
    ("reconciliation", "Акт сверки", "Reconciliation statement", True),
    ("certificate", "Сертификат", "Certificate", False),
    ("other", "Прочий документ", "Other document", False),
]


def create(apps, schema_editor):
    DocumentType = apps.get_model("documents", "DocumentType")
    for position, (code, name, name_en, financial) in enumerate(TYPES):
        DocumentType.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "is_financial": financial,
                "sort_order": position * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("documents", "0002_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
