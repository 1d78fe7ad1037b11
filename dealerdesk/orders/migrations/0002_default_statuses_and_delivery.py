"""The supplier's starting order statuses and delivery methods (F22: data, editable later)."""

from django.db import migrations

STATUSES = [
    # code, name, English name, tone, initial, final, cancelled
    ("new", "Новый", "Placed", "info", True, False, False),
    ("confirmed", "Подтверждён", "Confirmed", "primary", False, False, False),
    ("assembling", "Собирается", "Being assembled", "warning", False, False, False),
    ("ready", "Готов к отгрузке", "Ready for shipment", "warning", False, False, False),
    ("shipped", "Отгружен", "Shipped", "success", False, False, False),
    ("completed", "Выполнен", "Completed", "success", False, True, False),
    ("cancelled", "Отменён", "Cancelled", "danger", False, True, True),
]
DELIVERY_METHODS = [
    ("pickup", "Самовывоз со склада", "Pickup from a warehouse", "pickup"),
    ("delivery", "Доставка по адресу", "Delivery to an address", "delivery"),
    ("carrier", "Транспортной компанией", "By a carrier", "delivery"),
]


def create(apps, schema_editor):
    OrderStatus = apps.get_model("orders", "OrderStatus")
    DeliveryMethod = apps.get_model("orders", "DeliveryMethod")
    for position, (code, name, name_en, tone, initial, final, cancelled) in enumerate(STATUSES):
        OrderStatus.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "tone": tone,
                "is_initial": initial,
                "is_final": final,
                "is_cancelled": cancelled,
                "sort_order": position * 10,
            },
        )
    for position, (code, name, name_en, kind) in enumerate(DELIVERY_METHODS):
        DeliveryMethod.objects.get_or_create(
            code=code,
            defaults={"name": name, "name_en": name_en, "kind": kind, "sort_order": position * 10},
        )


class Migration(migrations.Migration):
    dependencies = [("orders", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
