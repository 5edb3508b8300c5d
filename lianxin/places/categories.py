"""The categories every installation starts with; admins may edit, add and retire them."""

DEFAULT_CATEGORIES = (
    ("urban_construction", "城市建设", "Urban construction"),
    ("environment", "生态环境", "Ecology and environment"),
    ("education_culture_health", "科教文卫", "Education, culture and health"),
    ("rule_of_law", "法治建设", "Rule of law"),
    ("economy", "经济建设", "Economic development"),
    ("agriculture_rural", "农业农村", "Agriculture and rural affairs"),
    ("property_management", "物业管理", "Property management"),
    ("elderly_care", "养老服务", "Elderly care"),
    ("transport", "交通出行", "Transport"),
    ("social_security", "社会保障", "Social security"),
    ("fire_safety", "消防安全", "Fire safety"),
    ("other", "其他", "Other"),
)


def ensure_default_categories(category_model) -> None:
    """Add the default categories that are missing (the data migration and test set-up share it)."""
    for order, (code, name_zh, name_en) in enumerate(DEFAULT_CATEGORIES, start=1):
        category_model.objects.get_or_create(
            code=code, defaults={"name_zh": name_zh, "name_en": name_en, "sort_order": order * 10}
        )
