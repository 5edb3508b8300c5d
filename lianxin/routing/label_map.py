"""Labels of outside corpora mapped to our category codes (places.categories).

The default is for the government-message corpus of the issue's evaluation contract: its seven
labels, each sent to the nearest of our categories. Health (卫生计生) joins education and
culture, as in 科教文卫."""

DEFAULT_LABEL_MAP = {
    "城乡建设": "urban_construction",
    "环境保护": "environment",
    "交通运输": "transport",
    "教育文体": "education_culture_health",
    "劳动和社会保障": "social_security",
    "商贸旅游": "economy",
    "卫生计生": "education_culture_health",
}
