"""What the export pages say, Ukrainian first and English second (the same keys in both;
a test checks)."""

from __future__ import annotations

EXPORT_TEXTS: dict[str, dict[str, str]] = {
    "uk": {
        "preparing": "Підготовка файлу",
        "about": "Файл готується у фоні: можна лишити цю сторінку відкритою або повернутися "
        "до неї пізніше. Коли він буде готовий, тут з’явиться посилання. Файл зберігається "
        "{days} дн., завантажити його можуть користувачі громади з доступом до звіту.",
        "report_file": "Звіт «{title}» за {start} – {end}, {format}",
        "register_file": "Реєстр платежів за {period}, {format}",
        "back": "Повернутися",
    },
    "en": {
        "preparing": "Preparing the file",
        "about": "The file is being prepared in the background: keep this page open or come "
        "back to it later. A link appears here when it is ready. The file is kept for "
        "{days} days; the municipality's users who may read the report can download it.",
        "report_file": "Report “{title}”, {start} – {end}, {format}",
        "register_file": "Payment register of {period}, {format}",
        "back": "Back",
    },
}


def export_texts(lang: str) -> dict[str, str]:
    return EXPORT_TEXTS["en" if lang == "en" else "uk"]
